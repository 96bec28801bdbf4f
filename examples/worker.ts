// A programmed mule: its top level is its program. It takes messages sent
// with new Mule(1).send() / uwsgi.mule_msg(msg, 1), or to its farm.
import { Mule } from "mulefarm";
import uwsgi from "mulefarm/uwsgi";

uwsgi.log(`mule ${Mule.currentId()} ready`);
for await (const msg of Mule.messages()) {
  uwsgi.cache_inc("messages");
  uwsgi.log(`mule ${Mule.currentId()} got: ${msg}`);
}
