using System.Net;
using System.Text;
using ActorKernel.Experiments.Explain;
using ActorKernel.Experiments.Results;

namespace ActorKernel.Experiments.Report;

/// <summary>What report.html shows, all of it computed before (the writer only lays it out).</summary>
/// <param name="Experiment">The experiment's name.</param>
/// <param name="Kernel">The modelled kernel profile.</param>
/// <param name="Seed">The experiment's seed.</param>
/// <param name="RunsLine">The run count sentence of summary.md ("24 of 24 runs, 1 per point and policy.").</param>
/// <param name="Table">The summary table, as printed.</param>
/// <param name="Summaries">The table's rows' point summaries, row for row (a row with failed reads is marked).</param>
/// <param name="Glossary">The failure causes that occur (<see cref="CauseGlossary.Entries"/>).</param>
/// <param name="Plots">The folder's PNG plots, in file order.</param>
/// <param name="Points">The first failed read of each sweep point, explained.</param>
/// <param name="Timeline">The run the timeline shows, or null when no run finished.</param>
public sealed record ReportContent(
    string Experiment, string Kernel, long Seed, string RunsLine, SummaryTable Table, IReadOnlyList<PointSummary> Summaries,
    IReadOnlyList<(string Name, string Description)> Glossary, IReadOnlyList<(string Name, byte[] Png)> Plots,
    IReadOnlyList<PointExplanation> Points, TimelineRun? Timeline);

/// <summary>
/// report.html: the output folder on one self-contained page — the summary table, the timeline of one run (inline
/// SVG), the failure causes, the plots (PNG as data: URIs) and, for each sweep point, its first failed read
/// explained as <c>actorkernel explain</c> does. A Content-Security-Policy forbids every load but data: images and
/// the page's own style and script, so it never reaches the network; the one script is a few lines that write a load
/// error (an image that does not decode) into the page. Nothing in it depends on the wall clock: same run, same bytes.
/// </summary>
public static class HtmlReport
{
    /// <summary>The file name in the output folder.</summary>
    public const string FileName = "report.html";

    /// <summary>The page, UTF-8.</summary>
    public static byte[] Write(ReportContent c)
    {
        var sb = new StringBuilder();
        var title = $"{c.Experiment} (seed {c.Seed}, modelled kernel {c.Kernel})";
        sb.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        sb.Append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src 'unsafe-inline'\">\n");
        sb.Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        sb.Append($"<title>{H(title)} — ActorKernel report</title>\n");
        sb.Append("<script>\n").Append(ErrorHook).Append("</script>\n");
        sb.Append("<style>\n").Append(Style).Append("</style>\n</head>\n<body>\n");
        sb.Append($"<header>\n<h1>{H(c.Experiment)}</h1>\n<p class=\"sub\">seed {c.Seed} · modelled kernel profile <code>{H(c.Kernel)}</code> · {H(c.RunsLine)}</p>\n");
        sb.Append("<nav><a href=\"#summary\">Summary</a><a href=\"#timeline\">Timeline</a><a href=\"#causes\">Causes</a>");
        if (c.Plots.Count > 0) sb.Append("<a href=\"#plots\">Plots</a>");
        sb.Append("<a href=\"#why\">Why reads failed</a></nav>\n</header>\n<main>\n");
        Summary(sb, c);
        Timeline(sb, c.Timeline);
        Causes(sb, c.Glossary);
        Plots(sb, c.Plots);
        Why(sb, c.Points);
        sb.Append("</main>\n<footer>Written by <code>actorkernel run</code>. Everything on this page is virtual time, the model's clock: the same experiment and seed give the same page, byte for byte.</footer>\n");
        sb.Append("</body>\n</html>\n");
        return Encoding.UTF8.GetBytes(sb.ToString());
    }

    private static void Summary(StringBuilder sb, ReportContent c)
    {
        var t = c.Table;
        sb.Append("<section id=\"summary\">\n<h2>Summary</h2>\n<div class=\"scroll\"><table class=\"summary\">\n<thead><tr>");
        foreach (var h in t.Headers) sb.Append($"<th>{H(h)}</th>");
        sb.Append("</tr></thead>\n<tbody>\n");
        for (var i = 0; i < t.Rows.Count; i++)
        {
            var failed = i < c.Summaries.Count && c.Summaries[i].Failed > 0;
            sb.Append(failed ? "<tr class=\"failing\">" : "<tr>");
            foreach (var cell in t.Rows[i]) sb.Append($"<td>{H(cell)}</td>");
            sb.Append("</tr>\n");
        }
        sb.Append("</tbody>\n</table></div>\n");
        sb.Append("<p class=\"note\">Latencies are virtual time: the model's clock, not time measured on this machine. Rows with failed reads are marked.</p>\n");
        foreach (var note in t.Notes) sb.Append($"<p class=\"note\">{H(note)}</p>\n");
        sb.Append("</section>\n");
    }

    private static void Timeline(StringBuilder sb, TimelineRun? timeline)
    {
        sb.Append("<section id=\"timeline\">\n<h2>Timeline of one run</h2>\n");
        if (timeline is null)
        {
            sb.Append("<p>No run to draw: none finished, or (a --schedule replay) running it again from its seed did not reproduce it.</p>\n</section>\n");
            return;
        }
        var spec = timeline.Recorded.Record.Spec;
        var point = spec.Point.Count == 0 ? "" : ", " + string.Join(", ", spec.Point.Select(p => $"{p.Key}={p.Value}"));
        sb.Append($"<p>Run {spec.Run} ({H(spec.Policy.Name)}{H(point)}), {H(timeline.Why)}, re-run from its seed with recording on. " +
                  "Each probe read is a tick: <span class=\"key ok\">ok</span> short, <span class=\"key failed\">failed</span> tall. " +
                  "NUMA scan passes and reclaim get a track when the run has them. Every task, CPU, lock and page table of this run: " +
                  $"<code>actorkernel trace DIR --run {spec.Run}</code> writes it for ui.perfetto.dev.</p>\n");
        sb.Append("<div class=\"scroll\">").Append(TimelineSvg.Write(timeline.Recorded)).Append("</div>\n</section>\n");
    }

    private static void Causes(StringBuilder sb, IReadOnlyList<(string Name, string Description)> glossary)
    {
        sb.Append("<section id=\"causes\">\n<h2>Failure causes</h2>\n");
        if (glossary.Count == 0) sb.Append("<p>No probe read failed.</p>\n");
        else
        {
            sb.Append("<dl class=\"glossary\">\n");
            foreach (var (name, description) in glossary) sb.Append($"<dt><code>{H(name)}</code></dt><dd>{H(description)}</dd>\n");
            sb.Append("</dl>\n<p class=\"note\">The kernel reason for each cause: docs/results.md, \"Failure causes\".</p>\n");
        }
        sb.Append("</section>\n");
    }

    private static void Plots(StringBuilder sb, IReadOnlyList<(string Name, byte[] Png)> plots)
    {
        if (plots.Count == 0) return;
        sb.Append("<section id=\"plots\">\n<h2>Plots</h2>\n");
        foreach (var (name, png) in plots)
            sb.Append($"<figure><img alt=\"{H(name)}\" src=\"data:image/png;base64,{Convert.ToBase64String(png)}\"><figcaption>{H(name)}</figcaption></figure>\n");
        sb.Append("</section>\n");
    }

    private static void Why(StringBuilder sb, IReadOnlyList<PointExplanation> points)
    {
        sb.Append("<section id=\"why\">\n<h2>Why reads failed: the first failed read of each point</h2>\n");
        sb.Append("<p>For each sweep point, its first run (in plan order) with a failed read was re-run from its seed with provenance recording on, " +
                  "and its first failed read is explained newest first, as <code>actorkernel explain DIR --run N</code> prints it " +
                  "(which adds what the other policies did with the same read).</p>\n");
        foreach (var p in points.Where(p => p.Explanation is not null))
        {
            var e = p.Explanation!;
            sb.Append($"<article class=\"explanation\" data-point=\"{p.PointIndex}\">\n");
            sb.Append($"<h3>point {p.PointIndex}{(p.Point.Length > 0 ? ": " + H(p.Point) : "")}</h3>\n");
            sb.Append($"<p class=\"read\">Run {e.Run} ({H(e.Policy)}, seed {e.Seed}), read {e.Read} of {e.Reads}: <code>{H(e.Target)}</code> at 0x{e.Addr:x} " +
                      $"({H(e.Attach)}, task {e.TaskId}) <span class=\"cause\">FAILED: {H(e.Cause ?? "")}</span> at {H(ExplainSession.Time(e.AtNs))} virtual</p>\n");
            sb.Append("<ol class=\"chain\">\n");
            foreach (var l in e.Chain)
                sb.Append($"<li><span class=\"at\">{H(ExplainSession.Time(l.AtNs))}</span><span class=\"kind\">{H(l.Kind)}</span>" +
                          $"{(l.Actor == "-" ? "" : $"<span class=\"actor\">{H(l.Actor)} / {H(l.Message)}</span>")}<span class=\"text\">{H(l.Text)}</span></li>\n");
            sb.Append($"</ol>\n<p class=\"cmd\"><code>actorkernel explain DIR --run {e.Run}</code></p>\n</article>\n");
        }
        foreach (var p in points.Where(p => p.Note is not null))
            sb.Append($"<p class=\"note\">point {p.PointIndex}{(p.Point.Length > 0 ? ": " + H(p.Point) : "")}: {H(p.Note!)}</p>\n");
        var clean = points.Where(p => p.Explanation is null && p.Note is null).ToArray();
        if (clean.Length > 0)
        {
            sb.Append($"<details class=\"clean\"><summary>{clean.Length} point(s) with no failed read</summary><ul>\n");
            foreach (var p in clean) sb.Append($"<li>point {p.PointIndex}{(p.Point.Length > 0 ? ": " + H(p.Point) : "")}</li>\n");
            sb.Append("</ul></details>\n");
        }
        sb.Append("</section>\n");
    }

    private static string H(string s) => WebUtility.HtmlEncode(s);

    // A load error (an image that does not decode, a blocked load) is written into the page, where a reader and
    // a headless browser's --dump-dom both see it. Errors do not bubble: the listener captures.
    private const string ErrorHook =
        "window.addEventListener('error', function (e) {\n" +
        "  var what = e.target && e.target !== window ? (e.target.tagName + ' ' + (e.target.getAttribute('alt') || '') + ' did not load') : String(e.message);\n" +
        "  var p = document.createElement('p'); p.className = 'load-error'; p.textContent = 'report.html: ' + what;\n" +
        "  (document.body || document.documentElement).appendChild(p);\n" +
        "}, true);\n";

    private const string Style = """
        :root { --ink: #1d2430; --muted: #5b6575; --line: #d9dee7; --bg: #f6f7f9; --ok: #2e8b57; --bad: #c62828; --accent: #1f5fa8; }
        * { box-sizing: border-box; }
        body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: var(--ink); background: var(--bg); }
        header { background: #1d2430; color: #fff; padding: 18px 32px 0; }
        header h1 { margin: 0; font-size: 26px; }
        header .sub { margin: 4px 0 12px; color: #c8d0dc; }
        header code { color: #fff; background: #34405a; }
        nav { display: flex; gap: 4px; }
        nav a { color: #c8d0dc; text-decoration: none; padding: 6px 12px; border-radius: 6px 6px 0 0; }
        nav a:hover { background: var(--bg); color: var(--ink); }
        main { padding: 8px 32px 24px; max-width: 1400px; }
        section { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 8px 20px 16px; margin: 18px 0; }
        h2 { font-size: 19px; margin: 8px 0 10px; }
        h3 { font-size: 16px; margin: 12px 0 4px; }
        code { font: 13px/1.4 ui-monospace, "DejaVu Sans Mono", monospace; background: #eef1f5; padding: 1px 4px; border-radius: 3px; }
        .scroll { overflow-x: auto; }
        table.summary { border-collapse: collapse; font-size: 13px; white-space: nowrap; }
        table.summary th { background: #eef1f5; text-align: left; padding: 6px 10px; border-bottom: 2px solid var(--line); position: sticky; top: 0; }
        table.summary td { padding: 5px 10px; border-bottom: 1px solid var(--line); }
        table.summary tbody tr:nth-child(even) { background: #fafbfc; }
        table.summary tr.failing td { background: #fdecea; }
        table.summary tr.failing td:first-child { box-shadow: inset 4px 0 0 var(--bad); }
        .note { color: var(--muted); font-size: 13px; margin: 6px 0; }
        dl.glossary { display: grid; grid-template-columns: max-content 1fr; gap: 6px 16px; margin: 6px 0; }
        dl.glossary dt { font-weight: 600; }
        dl.glossary dd { margin: 0; }
        figure { margin: 12px 0; }
        figure img { max-width: 100%; height: auto; border: 1px solid var(--line); border-radius: 4px; }
        figcaption { color: var(--muted); font-size: 13px; }
        svg.timeline { font: 12px system-ui, "DejaVu Sans", sans-serif; display: block; }
        svg.timeline .band { fill: #fafbfc; }
        svg.timeline .band.alt { fill: #f0f3f7; }
        svg.timeline .label { text-anchor: end; fill: var(--ink); font-weight: 600; }
        svg.timeline .count { text-anchor: end; fill: var(--muted); font-size: 11px; }
        svg.timeline path.ok { stroke: var(--ok); stroke-width: 1.2; }
        svg.timeline path.failed { stroke: var(--bad); stroke-width: 1.6; }
        svg.timeline rect.scan { fill: #7a869a; opacity: 0.8; }
        svg.timeline rect.scan-skipped { fill: none; stroke: #7a869a; stroke-dasharray: 3 2; }
        svg.timeline rect.reclaim { fill: #e07b00; opacity: 0.8; }
        svg.timeline .axis path { stroke: var(--muted); fill: none; }
        svg.timeline .axis text { text-anchor: middle; fill: var(--muted); }
        svg.timeline .axis text.unit { text-anchor: end; }
        .key { font-weight: 600; }
        .key.ok { color: var(--ok); }
        .key.failed { color: var(--bad); }
        article.explanation { border-top: 1px solid var(--line); padding-top: 4px; }
        .read .cause { color: var(--bad); font-weight: 600; }
        ol.chain { list-style: none; padding: 0; margin: 6px 0; }
        ol.chain li { display: grid; grid-template-columns: 150px 130px 1fr; gap: 2px 12px; padding: 5px 8px; border-left: 3px solid var(--accent); background: #f7f9fc; margin: 4px 0; font-size: 13.5px; }
        ol.chain li:first-child { border-left-color: var(--bad); background: #fdf1f0; }
        ol.chain .at { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 12px; color: var(--muted); }
        ol.chain .kind { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 12px; color: var(--accent); }
        ol.chain .actor { grid-column: 3; font-size: 12px; color: var(--muted); }
        ol.chain .text { grid-column: 3; }
        .cmd { margin: 4px 0 10px; }
        details.clean { margin: 10px 0; color: var(--muted); }
        footer { color: var(--muted); font-size: 12px; padding: 0 32px 24px; }
        .load-error { color: #fff; background: var(--bad); padding: 6px 12px; }

        """;
}
