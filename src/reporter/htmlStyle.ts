/** The page's only stylesheet, inlined: system fonts, no images, no external resource of any kind. */
export const PAGE_STYLE = `
:root { --ink: #1f2328; --muted: #59636e; --line: #d1d9e0; --panel: #f6f8fa; --pass: #1a7f37; --pass-bg: #dafbe1;
  --fail: #cf222e; --fail-bg: #ffebe9; --error: #9a6700; --error-bg: #fff8c5; --accent: #0969da; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.5 -apple-system, "Segoe UI", "Noto Sans", Helvetica, Arial, sans-serif; color: var(--ink); background: #fff; }
header { padding: 20px 32px 12px; border-bottom: 1px solid var(--line); background: var(--panel); }
header h1 { margin: 0 0 4px; font-size: 22px; }
header p { margin: 0; color: var(--muted); }
main { padding: 8px 32px 40px; }
h2 { font-size: 17px; margin: 28px 0 10px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
.cards { display: flex; gap: 12px; flex-wrap: wrap; margin-top: 16px; }
.card { border: 1px solid var(--line); border-radius: 8px; padding: 10px 16px; min-width: 150px; background: #fff; }
.card .value { font-size: 22px; font-weight: 600; }
.card .label { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .04em; }
.status { display: inline-block; padding: 2px 10px; border-radius: 999px; font-weight: 600; font-size: 12px; }
.status.pass { color: var(--pass); background: var(--pass-bg); }
.status.fail { color: var(--fail); background: var(--fail-bg); }
.status.error, .status.undetermined, .status.skipped, .status.pending { color: var(--error); background: var(--error-bg); }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
th, td { text-align: left; vertical-align: top; padding: 6px 8px; border-bottom: 1px solid var(--line); }
th { background: var(--panel); font-weight: 600; position: sticky; top: 0; }
td.name { min-width: 9em; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
code, pre { font: 12px/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
pre { background: var(--panel); border: 1px solid var(--line); border-radius: 6px; padding: 8px 10px; overflow-x: auto; white-space: pre-wrap; word-break: break-word; margin: 6px 0; }
.failure { border: 1px solid var(--fail-bg); border-left: 4px solid var(--fail); border-radius: 6px; padding: 8px 14px; margin: 12px 0; }
.failure h3 { margin: 4px 0; font-size: 14px; }
.meta { color: var(--muted); font-size: 12px; }
.tag { display: inline-block; border: 1px solid var(--line); border-radius: 4px; padding: 0 6px; margin: 1px 2px 1px 0; font-size: 12px; background: #fff; white-space: nowrap; }
details summary { cursor: pointer; color: var(--accent); }
.filters { display: flex; gap: 10px; flex-wrap: wrap; align-items: center; margin: 8px 0 12px; padding: 10px; background: var(--panel); border: 1px solid var(--line); border-radius: 8px; }
.filters label { font-size: 12px; color: var(--muted); display: flex; flex-direction: column; }
.filters select { max-width: 320px; }
.filters select, .filters input { font: inherit; padding: 4px 6px; border: 1px solid var(--line); border-radius: 6px; min-width: 140px; }
#shown { margin-left: auto; color: var(--muted); font-size: 12px; }
tr.hidden { display: none; }
.empty { color: var(--muted); font-style: italic; }
`
