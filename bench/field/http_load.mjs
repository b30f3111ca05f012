// SPDX-License-Identifier: MIT
// http_load.mjs - check-ins through the HTTP API as fast as the server
// acknowledges them: C keep-alive connections, each sending the next
// check-in as soon as the previous one is answered. Every check-in has a
// client id; the ids acknowledged (201/200) are written to ACKED, one per
// line, so a crash test can check each of them is in the database.
//   node http_load.mjs BASE TOKEN CADRES SECONDS CONNECTIONS ACKED [OFFSET]
import http from "node:http";
import { appendFileSync, writeFileSync } from "node:fs";

const [base, token, cadres, seconds, conns, acked, offset = "0"] = process.argv.slice(2);
const url = new URL(base);
const agent = new http.Agent({ keepAlive: true, maxSockets: Number(conns) });
const end = Date.now() + Number(seconds) * 1000;
const lat = [];
let ok = 0,
  bad = 0,
  errors = 0,
  seq = Number(offset);
const ackedIds = [];
writeFileSync(acked, "");

function post(body) {
  return new Promise((resolve) => {
    const t0 = process.hrtime.bigint();
    const rq = http.request(
      { host: url.hostname, port: url.port, path: "/api/v1/field/checkins", method: "POST", agent,
        headers: { Authorization: "Bearer " + token, "Content-Type": "application/json", "Content-Length": Buffer.byteLength(body) } },
      (res) => {
        res.resume();
        res.on("end", () => resolve({ status: res.statusCode, ms: Number(process.hrtime.bigint() - t0) / 1e6 }));
      },
    );
    rq.on("error", () => resolve({ status: 0, ms: 0 }));
    rq.end(body);
  });
}

async function worker() {
  while (Date.now() < end) {
    const n = seq++;
    const cadre = (n % Number(cadres)) + 1;
    const day = 1 + (Math.floor(n / Number(cadres)) % 28);
    const id = "load-" + n;
    const body = JSON.stringify({ cadre, at: `2018-09-${String(day).padStart(2, "0")} 08:${String(n % 60).padStart(2, "0")}:00`, lat: 22.5, lng: 106.5, accuracy: 15, client_id: id });
    const r = await post(body);
    if (r.status === 201 || r.status === 200) {
      ok++;
      lat.push(r.ms);
      ackedIds.push(id);
      if (ackedIds.length >= 500) appendFileSync(acked, ackedIds.splice(0).join("\n") + "\n");
    } else if (r.status === 0) {
      errors++;
      if (errors > 1000) break;
      await new Promise((z) => setTimeout(z, 20));
    } else bad++;
  }
}

const t0 = Date.now();
await Promise.all(Array.from({ length: Number(conns) }, worker));
if (ackedIds.length) appendFileSync(acked, ackedIds.join("\n") + "\n");
const secs = (Date.now() - t0) / 1000;
lat.sort((a, b) => a - b);
const q = (p) => (lat.length ? lat[Math.min(lat.length - 1, Math.floor(p * lat.length))].toFixed(1) : "—");
console.log(JSON.stringify({ acknowledged: ok, refused: bad, connection_errors: errors, seconds: secs, per_second: Math.round(ok / secs), p50_ms: q(0.5), p99_ms: q(0.99) }));
