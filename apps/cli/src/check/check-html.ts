import type { Finding, OpVerdict, TargetModel, TargetReport } from '@qatkit/core';
import type { CheckDocument } from './check-json.js';
import { formatCount, formatShare } from './format-numbers.js';
import { escapeHtml as e, graphSvg } from './html-graph.js';

const STYLE = `
:root{--acc:#2e7d32;--cpu:#ef6c00;--blk:#c62828;--ink:#1d2327;--mute:#5f6b73;font-family:system-ui,-apple-system,"Segoe UI",sans-serif;color:var(--ink)}
body{margin:0 auto;max-width:1500px;padding:16px 24px}h1{font-size:20px;margin:8px 0}h2{font-size:17px;margin:28px 0 4px}
.cards{display:flex;gap:10px;flex-wrap:wrap}.card{border:1px solid #ccd;border-radius:8px;padding:8px 12px;min-width:220px;text-decoration:none;color:inherit}
.v-accelerator{border-left:6px solid var(--acc)}.v-partial{border-left:6px solid var(--cpu)}.v-cpu,.v-blocked{border-left:6px solid var(--blk)}
.split{display:flex;gap:16px;align-items:flex-start}.graphbox{flex:0 0 auto;max-height:80vh;overflow:auto;border:1px solid #dde;border-radius:6px}
.tablebox{flex:1 1 auto;max-height:80vh;overflow:auto}table{border-collapse:collapse;font-size:12.5px;width:100%}
th,td{border-bottom:1px solid #e3e6ea;padding:3px 6px;text-align:left;vertical-align:top}th{position:sticky;top:0;background:#f6f7f9}
.op rect{stroke:#0003;stroke-width:1}.p-accelerator rect{fill:#c8e6c9}.p-cpu rect{fill:#ffe0b2}.p-blocks rect{fill:#ffcdd2}
.unconfirmed rect{stroke-dasharray:4 3;stroke:#333}.warned rect{stroke:#b58900;stroke-width:2}.op text{font-size:11px;fill:var(--ink)}
.edges path{fill:none;stroke:#8a949c;stroke-width:1}.op.hl rect,tr.hl td{outline:2px solid #1565c0}
td.pl{font-weight:600}td.n{white-space:nowrap}tr.p-accelerator td.pl{color:var(--acc)}tr.p-cpu td.pl{color:var(--cpu)}tr.p-blocks td.pl{color:var(--blk)}
.f{color:var(--mute)}.f b{color:var(--ink)}.legend span{display:inline-block;margin-right:14px}.sw{width:12px;height:12px;display:inline-block;border-radius:3px;margin-right:4px;vertical-align:-1px}
`;

const SCRIPT = `
document.querySelectorAll('[data-op]').forEach(function (el) {
  var key = el.getAttribute('data-op');
  el.addEventListener('mouseenter', function () { document.querySelectorAll('[data-op="' + key + '"]').forEach(function (x) { x.classList.add('hl'); }); });
  el.addEventListener('mouseleave', function () { document.querySelectorAll('[data-op="' + key + '"]').forEach(function (x) { x.classList.remove('hl'); }); });
});
`;

const plural = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;

const finding = (f: Finding) =>
  `<div class="f"><b>${e(f.effect)} ${e(f.id)}</b>: ${e(f.values)}<br>${e(f.rule)}${f.fix ? `<br>fix: ${e(f.fix)}` : ''}<br>[${e(f.confidence)}] ${e(f.source)}</div>`;

function row(v: OpVerdict, key: string): string {
  const where = v.subgraph > 0 ? `${v.subgraph}:${v.index}` : String(v.index);
  return (
    `<tr class="p-${v.placement}" data-op="${key}:${v.index}"><td>${where}</td><td>${e(v.opcode)} v${v.version}<br><span class="f">${e(v.name)}</span></td>` +
    `<td class="pl">${v.placement}${v.unconfirmed ? ' (unconfirmed)' : ''}</td><td>${v.partition ?? ''}</td><td class="n">${formatCount(v.macs)}</td>` +
    // the status line, unless it only repeats the rule printed below it
    `<td>${v.status === v.findings[0]?.rule ? '' : e(v.status)}${v.findings.map(finding).join('')}</td></tr>`
  );
}

function section(report: TargetReport, model: TargetModel, n: number): string {
  const s = report.summary;
  const graphs = model.subgraphs
    .map((sg, i) => {
      const key = `t${n}s${i}`;
      const ops = report.ops.filter((o) => o.subgraph === i);
      return `<h3>subgraph ${i}${sg.name ? ` “${e(sg.name)}”` : ''}</h3><div class="split"><div class="graphbox">${graphSvg(sg, ops, key)}</div>` +
        `<div class="tablebox"><table><thead><tr><th>#</th><th>op</th><th>placement</th><th>partition</th><th>MACs</th><th>status and rules</th></tr></thead><tbody>${ops.map((o) => row(o, key)).join('')}</tbody></table></div></div>`;
    })
    .join('');
  const notes = report.notes.length ? `<h3>notes</h3>${report.notes.map(finding).join('')}` : '';
  return (
    `<section class="target" id="target-${n}" data-target="${e(report.target)}"><h2>${e(report.title)} — ${s.verdict}</h2>` +
    `<p>${s.opsOnAccelerator} of ${s.ops} ops, ${formatCount(s.macsOnAccelerator)} of ${formatCount(s.macs)} MACs (${formatShare(s.macsOnAccelerator, s.macs)}) on the accelerator · ${plural(s.partitions, 'partition')} · ${plural(s.transitions, 'CPU↔accelerator transition')} · ${plural(s.warnings, 'warning')}</p>` +
    `${graphs}${notes}</section>`
  );
}

/** The whole report as one self-contained HTML file: no external scripts, styles, fonts or images. */
export function renderHtml(doc: CheckDocument, model: TargetModel, version: string): string {
  const cards = doc.targets
    .map((r, n) => `<a class="card v-${r.summary.verdict}" href="#target-${n}"><b>${e(r.title)}</b><br>${r.summary.verdict}: ${r.summary.opsOnAccelerator}/${r.summary.ops} ops, ${formatShare(r.summary.macsOnAccelerator, r.summary.macs)} of MACs</a>`)
    .join('');
  const legend = '<p class="legend"><span><i class="sw" style="background:#c8e6c9"></i>accelerator</span><span><i class="sw" style="background:#ffe0b2"></i>CPU fallback</span><span><i class="sw" style="background:#ffcdd2"></i>blocks the model</span><span>dashed: decided by an unconfirmed rule</span><span>gold border: warning</span></p>';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>qatkit check — ${e(doc.model.file)}</title><style>${STYLE}</style></head>
<body><header><h1>qatkit check: ${e(doc.model.file)}</h1>
<p>${doc.model.ops} ops in ${doc.model.subgraphs} subgraph${doc.model.subgraphs === 1 ? '' : 's'}, ${formatCount(doc.model.macs)} MACs, ${doc.model.bytes} bytes · ${doc.ok ? 'every op on every accelerator' : 'not every op on every accelerator'} · qatkit ${e(version)}</p>
<nav class="cards">${cards}</nav>${legend}</header>
${doc.targets.map((r, n) => section(r, model, n)).join('\n')}
<script>${SCRIPT}</script></body></html>
`;
}
