// A sandboxed light mule for the footprint workload: waits for messages.
import { Mule } from "mulefarm";
for await (const _ of Mule.messages()) { /* nothing */ }
