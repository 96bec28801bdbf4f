// The smallest app: every worker answers "ok".
import { workerId } from "mulefarm";

export default {
  fetch(req: Request): Response {
    const url = new URL(req.url);
    if (url.pathname === "/whoami") return new Response(`worker ${workerId()} pid ${process.pid}\n`);
    if (url.pathname === "/boom") throw new Error("boom on purpose");
    return new Response("ok", { headers: { "content-type": "text/plain" } });
  },
};
