// The demo app: an HTTP front that hands work to mules, farms and the spooler.
import { cacheNum, Farm, Mule, workerId } from "mulefarm";
import { audit, thumbnail } from "./tasks.ts";

const HELP = `mulefarm demo (worker %ID%)
  GET /msg?text=hi        a message to mule 1 (programmed, examples/worker.ts)
  GET /farm?text=hi       a message to one mule of farm "video"
  GET /thumb?file=a.png   a durable spooler task
  GET /audit?event=login  a function offloaded to any mule (mulefunc)
  GET /counters           shared cache counters
`;

export default {
  async fetch(req: Request): Promise<Response> {
    const u = new URL(req.url);
    const q = (k: string, d: string) => u.searchParams.get(k) ?? d;
    switch (u.pathname) {
      case "/msg": await new Mule(1).send(q("text", "hello")); return new Response("sent to mule 1\n");
      case "/farm": await new Farm("video").send(q("text", "hello")); return new Response("sent to farm video\n");
      case "/thumb": return new Response(`task ${await thumbnail.spool({ file: q("file", "a.png") })} queued\n`);
      case "/audit": await audit(q("event", "login"), new Date()); return new Response("offloaded\n");
      case "/counters": return Response.json({ messages: cacheNum("messages"), thumbnails: cacheNum("thumbnails") });
      default: return new Response(HELP.replace("%ID%", String(workerId())), { headers: { "content-type": "text/plain" } });
    }
  },
};
