// The printed report's style: A4 portrait, body 9 pt, two pages. Served as /report/report.css
// and inlined into the PDF.
export const HANDOUT_CSS = `
@page { size: A4 portrait; margin: 9mm 10mm 9mm 10mm; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { font-family: "Noto Sans CJK JP", "Noto Sans JP", "BIZ UDPGothic", "Hiragino Sans", "Yu Gothic", Meiryo, sans-serif;
  font-size: 9pt; line-height: 1.3; color: #111827; margin: 0; }
@media screen { body { max-width: 210mm; margin: 0 auto; padding: 8mm 10mm; background: #fff; } }
h1 { font-size: 15pt; margin: 0; }
h2 { font-size: 11pt; margin: 3mm 0 1.5mm; padding: 0.6mm 0 0.6mm 2mm; border-left: 1.6mm solid #1d4ed8; background: #eff6ff; }
h3 { font-size: 9.5pt; margin: 0; }
header.title { display: flex; justify-content: space-between; align-items: baseline; border-bottom: 0.6mm solid #1d4ed8; padding-bottom: 1mm; }
header.title .asof { font-size: 11pt; font-weight: bold; margin: 0; }
.cards { display: grid; grid-template-columns: 1fr 1fr; gap: 2mm; }
.card { border: 0.3mm solid #cbd5e1; border-radius: 1.5mm; padding: 1.2mm 2mm 1mm; break-inside: avoid; }
.card-body { display: grid; grid-template-columns: 53mm 1fr; gap: 1mm; align-items: end; }
.headline { margin: 0.3mm 0 0; display: flex; align-items: center; gap: 2mm; }
.pct { font-size: 16pt; font-weight: bold; line-height: 1.05; }
.figures dl { margin: 0.3mm 0 0; }
.figures dl div { display: flex; gap: 1mm; white-space: nowrap; }
.figures dt { color: #4b5563; min-width: 10mm; }
.figures dd { margin: 0; }
.burnup { width: 100%; height: 22mm; display: block; }
.badge { font-size: 9pt; font-weight: bold; padding: 0.2mm 1.8mm; border-radius: 1mm; white-space: nowrap; border: 0.3mm solid currentColor; }
.verdict-met .badge, .verdict-on_track .badge { color: #166534; background: #dcfce7; }
.verdict-at_risk .badge { color: #854d0e; background: #fef9c3; }
.verdict-behind .badge, .verdict-missed .badge { color: #991b1b; background: #fee2e2; }
.verdict-no_items .badge { color: #374151; background: #f3f4f6; }
.city-total { margin: 1.5mm 0 0; padding: 1mm 2mm; background: #f3f4f6; border-radius: 1mm; display: flex; gap: 2mm; align-items: baseline; flex-wrap: wrap; }
.city-total .big { font-size: 11pt; }
.reported, .reported dt, .reported dd { color: #854d0e; }
.city-total .reported { font-weight: bold; }
.small { font-size: 9pt; color: #4b5563; }
.muted { color: #6b7280; }
table { border-collapse: collapse; width: 100%; }
th, td { border-bottom: 0.2mm solid #d1d5db; padding: 0.5mm 1mm; text-align: left; vertical-align: top; }
thead th { background: #e5e7eb; font-weight: bold; border-bottom: 0.3mm solid #9ca3af; }
table.initiatives { table-layout: fixed; }
col.c-no { width: 10.5mm; } col.c-name { width: 43.5mm; } col.c-owner { width: 24mm; } col.c-due { width: 25mm; }
col.c-state { width: 12.5mm; } col.c-progress { width: 23mm; } col.c-comment { width: auto; }
.initiatives td, .initiatives th { overflow: hidden; }
.area-head { break-after: avoid; }
.initiatives tr { break-inside: avoid; }
.area-head th, .area-head td { background: #dbeafe; font-weight: bold; border-top: 0.3mm solid #93c5fd; }
td.no { white-space: nowrap; }
td.owner { font-size: 9pt; }
td.due { white-space: nowrap; }
tr.overdue td.due { color: #b91c1c; font-weight: bold; }
.late-text { color: #b91c1c; font-weight: bold; white-space: nowrap; }
h2 .overall { margin-left: 3mm; font-size: 10.5pt; color: #1d4ed8; }
h2 .late-text { margin-left: 3mm; font-size: 9.5pt; }
.initiatives td.state, .initiatives td.due, .initiatives td.no { padding-left: 0.6mm; padding-right: 0.6mm; }
td.progress { white-space: nowrap; }
.bar { width: 11mm; height: 2.6mm; vertical-align: -0.3mm; margin-right: 1mm; }
.num { font-variant-numeric: tabular-nums; }
.state-done { color: #166534; font-weight: bold; }
.state-cancelled { color: #6b7280; }
.clamp { display: -webkit-box; -webkit-box-orient: vertical; -webkit-line-clamp: 2; overflow: hidden; }
.legend { margin: 1mm 0 0; }
table.dept { font-size: 9pt; }
table.dept td.num { text-align: right; white-space: nowrap; }
table.dept thead th:not(:first-child) { text-align: right; }
table.dept tfoot th, table.dept tfoot td { border-top: 0.4mm solid #374151; font-weight: bold; background: #f3f4f6; }
section.departments { break-inside: avoid; }
footer { margin-top: 2mm; font-size: 9pt; color: #6b7280; border-top: 0.2mm solid #d1d5db; padding-top: 0.8mm; }
`;
