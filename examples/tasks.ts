// Loaded with --import in every worker, mule and spooler: the background
// work of the demo, declared the way uwsgidecorators users declare it.
import { cron, mulefunc, spool, timer } from "mulefarm";
import uwsgi from "mulefarm/uwsgi";

/** Runs in a spooler, durably: survives a crash of the spooler, retried on error. */
export const thumbnail = spool(async function thumbnail(args: { file: string }) {
  await new Promise((r) => setTimeout(r, 50)); // pretend to resize an image
  uwsgi.log(`thumbnail made for ${args.file}`);
  uwsgi.cache_inc("thumbnails");
});

/** Runs in any mule, right away, not durably (a message in the master's memory). */
export const audit = mulefunc(function audit(event: string, at: Date) {
  uwsgi.log(`audit: ${event} at ${at.toISOString()}`);
});

// Every 10 seconds in the first available mule.
timer(10, { target: "mule" })(function heartbeat() {
  uwsgi.log(`heartbeat from mule ${uwsgi.mule_id()}`);
});

// Every minute, read in Rome's time zone, in the spooler.
cron("* * * * *", { tz: "Europe/Rome", target: "spooler" })(function minutely() {
  uwsgi.log("a new minute in Rome");
});

