// Run graphql-http's server audits against a live server and print one JSON line per audit.
// Usage: node tests/conformance/audit.mjs http://127.0.0.1:8000/graphql
// Exit code: 0 when every audit passes with no warning, 1 otherwise.
import { serverAudits } from "graphql-http";

const url = process.argv[2];
if (!url) {
  console.error("usage: node audit.mjs URL");
  process.exit(2);
}
let bad = 0;
for (const audit of serverAudits({ url })) {
  const result = await audit.fn();
  let detail = "";
  if (result.status !== "ok") {
    bad += 1;
    detail = result.reason;
    if (result.response) {
      const body = await result.response.text().catch(() => "");
      detail += ` (HTTP ${result.response.status}: ${body.slice(0, 200)})`;
    }
  }
  console.log(JSON.stringify({ id: audit.id, name: audit.name, status: result.status, detail }));
}
process.exit(bad ? 1 : 0);
