// Turns the run's figures into the stdout table, the ratios against raw ws and the targets of issue 6.
const fixed = (value, digits = 0) =>
  value === null || value === undefined || Number.isNaN(value) ? '-' : value.toFixed(digits);
const thousands = (value) => (value === null || value === undefined ? '-' : Math.round(value).toLocaleString('en-US'));

function table(header, rows) {
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => String(row[i]).length)));
  const line = (cells) => cells.map((cell, i) => String(cell).padStart(widths[i])).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

export function throughputTable(results) {
  const rows = [];
  for (const server of Object.values(results.servers)) {
    for (const [shape, figures] of Object.entries(server.shapes)) {
      const sat = figures.saturation ?? {};
      const lat = figures.latency ?? {};
      const check = figures.check ?? {};
      rows.push([
        server.label,
        shape,
        thousands(sat.deliveriesPerSec),
        thousands(sat.deliveriesPerServerCpuSecond),
        fixed(sat.serverCpuMicrosPerDelivery, 2),
        fixed(sat.serverCpuPercent),
        fixed(sat.generatorCpuPercent),
        lat.offeredDeliveriesPerSec
          ? `${thousands(lat.offeredDeliveriesPerSec)}${lat.sustained ? '' : ' (not sustained)'}`
          : '-',
        fixed(lat.p50Ms, 2),
        fixed(lat.p99Ms, 2),
        check.lost ?? '-',
        check.misordered ?? '-',
        figures.error ? 'ERROR' : figures.passed ? 'ok' : 'FAIL',
      ]);
    }
  }
  return table(
    [
      'server',
      'shape',
      'deliveries/s',
      'per cpu-s',
      'cpu us/deliv',
      'srv cpu%',
      'gen cpu%',
      'fixed load/s',
      'p50 ms',
      'p99 ms',
      'lost',
      'misorder',
      'check',
    ],
    rows,
  );
}

export function memoryTable(results) {
  const rows = Object.values(results.servers)
    .filter((server) => server.memory)
    .map((server) => {
      const m = server.memory;
      return [
        server.label,
        thousands(m.members),
        fixed(m.rssBeforeBytes / 2 ** 20, 1),
        fixed(m.rssSettledBytes / 2 ** 20, 1),
        fixed(m.bytesPerMemberBeforeGc / 1024, 2),
        fixed(m.rssAfterBytes / 2 ** 20, 1),
        fixed(m.bytesPerMember / 1024, 2),
        fixed(m.heapBytesPerMember / 1024, 2),
        m.error ? 'ERROR' : 'ok',
      ];
    });
  return table(
    [
      'server',
      'idle members',
      'RSS empty MB',
      'RSS joined MB',
      'KB/member',
      'RSS after GC MB',
      'KB/member after GC',
      'heap KB/member',
      'check',
    ],
    rows,
  );
}

/** tiny-chat against raw ws (and p99 against plain socket.io), with the issue's targets. */
export function ratios(results) {
  const raw = results.servers['raw-ws'];
  const plain = results.servers.socketio;
  const out = {};
  for (const key of ['socketio', 'tiny-chat', 'tiny-chat-redis']) {
    const server = results.servers[key];
    if (!server || !raw) continue;
    const entry = { shapes: {} };
    for (const [shape, figures] of Object.entries(server.shapes)) {
      const base = raw.shapes[shape];
      const ratio = (a, b) => (a && b ? a / b : null);
      entry.shapes[shape] = {
        deliveriesPerSecVsRawWs: ratio(figures.saturation?.deliveriesPerSec, base?.saturation?.deliveriesPerSec),
        deliveriesPerCpuSecondVsRawWs: ratio(
          figures.saturation?.deliveriesPerServerCpuSecond,
          base?.saturation?.deliveriesPerServerCpuSecond,
        ),
        cpuPerDeliveryVsRawWs: ratio(
          figures.saturation?.serverCpuMicrosPerDelivery,
          base?.saturation?.serverCpuMicrosPerDelivery,
        ),
        p99VsPlainSocketIo: ratio(figures.latency?.p99Ms, plain?.shapes[shape]?.latency?.p99Ms),
        sameOfferedLoadAsPlainSocketIo:
          figures.latency?.offeredDeliveriesPerSec === plain?.shapes[shape]?.latency?.offeredDeliveriesPerSec,
      };
    }
    if (server.memory) entry.kbPerIdleMember = server.memory.bytesPerMember / 1024;
    out[key] = entry;
  }
  return out;
}

const TARGETS = {
  'tiny-chat': { throughput: 0.7 },
  'tiny-chat-redis': { throughput: 0.45 },
};

/** One line per target of the issue: the figure, the target and whether it is met. */
export function targetLines(results, ratioTable) {
  const lines = [];
  const verdict = (value, ok) => (value === null || value === undefined ? 'unknown' : ok ? 'met' : 'MISSED');
  for (const [key, goal] of Object.entries(TARGETS)) {
    const entry = ratioTable[key];
    if (!entry) continue;
    for (const [shape, r] of Object.entries(entry.shapes)) {
      const mine = results.servers[key]?.shapes[shape]?.latency;
      const plain = results.servers.socketio?.shapes[shape]?.latency;
      let p99;
      if (!mine || !plain) p99 = 'p99: not measured';
      else if (r.sameOfferedLoadAsPlainSocketIo) {
        p99 = `p99 ${fixed(r.p99VsPlainSocketIo, 2)}x plain socket.io at ${thousands(mine.offeredDeliveriesPerSec)}/s (target <= 2): ${verdict(r.p99VsPlainSocketIo, r.p99VsPlainSocketIo <= 2)}`;
      } else if (mine.offeredDeliveriesPerSec < plain.offeredDeliveriesPerSec) {
        p99 = `p99: MISSED, sustains ${thousands(mine.offeredDeliveriesPerSec)}/s where plain socket.io sustains ${thousands(plain.offeredDeliveriesPerSec)}/s`;
      } else {
        p99 = `p99: not comparable (offered ${thousands(mine.offeredDeliveriesPerSec)}/s vs ${thousands(plain.offeredDeliveriesPerSec)}/s for plain socket.io)`;
      }
      lines.push(
        `${key} ${shape}: deliveries/s ${fixed(r.deliveriesPerSecVsRawWs, 2)}x raw ws, per server CPU-second ${fixed(r.deliveriesPerCpuSecondVsRawWs, 2)}x ` +
          `(target >= ${goal.throughput}): ${verdict(r.deliveriesPerCpuSecondVsRawWs, r.deliveriesPerCpuSecondVsRawWs >= goal.throughput)}; ` +
          `CPU/delivery ${fixed(r.cpuPerDeliveryVsRawWs, 2)}x raw ws (target <= 1.5): ${verdict(r.cpuPerDeliveryVsRawWs, r.cpuPerDeliveryVsRawWs <= 1.5)}; ${p99}`,
      );
    }
    if (entry.kbPerIdleMember !== undefined) {
      lines.push(
        `${key}: ${fixed(entry.kbPerIdleMember, 2)} KB RSS per idle member (target <= 10): ${verdict(entry.kbPerIdleMember, entry.kbPerIdleMember <= 10)}`,
      );
    }
  }
  const failed = Object.values(results.servers)
    .flatMap((s) => Object.values(s.shapes))
    .filter((f) => !f.passed);
  lines.push(
    `loss and order: ${failed.length === 0 ? 'zero lost, zero misordered: met' : `${failed.length} server x shape FAILED`}`,
  );
  return lines;
}
