// Trivial app: every request gets 200 "ok" (text/plain, Content-Length 2).
const body = "ok";
export default {
  fetch(_req: Request): Response {
    return new Response(body, { headers: { "content-type": "text/plain" } });
  },
};
