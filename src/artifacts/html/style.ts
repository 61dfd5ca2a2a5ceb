// The page's only stylesheet, inline: system fonts, no external resource of any kind.
export const STYLE = `
:root { --ok: #1a7f37; --bad: #cf222e; --muted: #57606a; --line: #d0d7de; --bg: #f6f8fa; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0; color: #1f2328; background: #fff; }
main { max-width: 1200px; margin: 0 auto; padding: 16px 24px 48px; }
h1 { font-size: 22px; margin: 8px 0 4px; } h2 { font-size: 18px; margin: 28px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
h3 { font-size: 15px; margin: 16px 0 6px; }
.status { display: inline-block; padding: 1px 10px; border-radius: 12px; color: #fff; font-weight: 600; font-size: 13px; vertical-align: middle; }
.status.passed { background: var(--ok); } .status.failed, .status.error { background: var(--bad); }
.muted { color: var(--muted); }
table { border-collapse: collapse; width: 100%; margin: 4px 0; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: var(--bg); font-weight: 600; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.failed td:first-child { color: var(--bad); font-weight: 600; } tr.passed td:first-child { color: var(--ok); }
pre { background: var(--bg); border: 1px solid var(--line); border-radius: 6px; padding: 8px 10px; overflow-x: auto; white-space: pre-wrap; word-break: break-word; font: 12px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; margin: 4px 0; max-height: 420px; overflow-y: auto; }
svg { width: 100%; height: auto; font: 11px system-ui, sans-serif; }
svg .label { text-anchor: end; fill: #1f2328; } svg .tick { fill: var(--muted); font-size: 10px; } svg .grid { stroke: #eaeef2; }
svg .bar.created { fill: #b6d4fe; } svg .bar.starting { fill: #0969da; } svg .bar.passed { fill: var(--ok); } svg .bar.failed { fill: var(--bad); } svg .bar.teardown { fill: #8250df; }
svg .axis { stroke: var(--muted); } svg .series { fill: none; stroke: #0969da; stroke-width: 1.2; } svg circle.ok { fill: #0969da; } svg circle.bad { fill: var(--bad); }
svg .guide { stroke-dasharray: 4 3; stroke: var(--muted); }
.legend { color: var(--muted); font-size: 12px; } .key { display: inline-block; width: 12px; height: 10px; margin: 0 4px 0 12px; vertical-align: middle; }
.key.created { background: #b6d4fe; } .key.starting { background: #0969da; } .key.passed { background: var(--ok); } .key.failed { background: var(--bad); } .key.teardown { background: #8250df; }
.charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(420px, 1fr)); gap: 12px; }
.chart { border: 1px solid var(--line); border-radius: 6px; padding: 8px; } .chart h3 { margin: 0 0 4px; font-size: 13px; }
.failure { border: 1px solid var(--bad); border-left-width: 4px; border-radius: 6px; padding: 8px 12px; margin: 12px 0; }
.failure .message { color: var(--bad); font-weight: 600; }
.pair { display: grid; grid-template-columns: 1fr 1fr; gap: 12px; } @media (max-width: 800px) { .pair { grid-template-columns: 1fr; } }
.log .trace { background: #fff8c5; }
`;
