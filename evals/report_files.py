"""The report as files a person opens: Markdown (thumbnails beside it) or one self-contained HTML page.

Both hold the summary table, the regressions and improvements, models side by side where a case
ran with several, and per case run: who answered (authored or recorded by which provider and
model), every score with its baseline and verdict, the evidence, and storyboard thumbnails.
"""

from __future__ import annotations

import base64
import html
import json
import shutil
from pathlib import Path

from filmcrew.errors import InputError
from filmcrew.evals.report import HEADERS, EvalReport, cell, comparison, json_report
from filmcrew.evals.runner import CaseResult
from filmcrew.files import atomic_write_bytes, atomic_write_text

VERDICT_WORDS = {"worse": "▼ worse", "better": "▲ better", "same": "= baseline",
                 "new": "• new", "missing": "? missing"}


def _summary_line(report: EvalReport, code: str = "`") -> str:
    """One sentence: how many runs, regressions, errors."""
    states = [report.status_of(r) for r in report.results]
    return (f"{len(states)} case runs: {states.count('ok') + states.count('better') + states.count('new')} pass, "
            f"{states.count('worse')} worse than the baseline, {states.count('error')} failed to run. "
            f"Baseline: {code}{report.baseline_name}{code}.")


GLOSSARY = {
    "dialogue": "share of dialogue lines some shot of the scene covers",
    "speakers": "share of on-screen speeches covered by a shot that shows the speaker",
    "timing": "share of page time in scenes whose shots add up to 2/3-1.5x the page time",
    "schema": "artefact checks passed: models, stable keys, sorted keys, ids, lines, CSV, frames, Fountain",
    "frames": "share of storyboard frames that show exactly their shot's subjects",
    "subjects": "share of shots whose subjects are all in the scene",
    "judge": "mean character-consistency score of a recorded vision judge",
    "cont P / cont R": "continuity precision / recall against the seeded errors of the case",
    "P / R": "continuity corpus precision / recall (evals/continuity)",
    "writer": "writer checks passed: parses, length, hook in 3 s, cliffhanger",
    "expect": "share of the case's [expect] properties met",
    "replay": "share of the case's recordings the run asked for",
    "calls / tokens / cost $": "model calls, tokens and estimated cost of the run (lower is better)",
}


def _files_dir(path: Path) -> Path:
    """The folder beside a Markdown report that holds its thumbnails."""
    return path.with_name(f"{path.stem}_files")


# --- Markdown ------------------------------------------------------------------------------


def _md_summary(report: EvalReport) -> list[str]:
    """The summary table in Markdown."""
    metrics = report.metrics()
    head = ["case", "answers", *[HEADERS.get(m, m) for m in metrics], "verdict"]
    rows = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for result in report.results:
        scores = {s.metric: s for s in result.scores}
        cells = [cell(scores[m]) if m in scores else "–" for m in metrics]
        rows.append("| " + " | ".join([result.case, result.source, *cells, report.status_of(result)]) + " |")
    return rows


def _md_case(report: EvalReport, result: CaseResult, thumbs_dir: Path, rel: str) -> list[str]:
    """One case run's section in Markdown."""
    out = [f"## {result.case} · {result.variant}", "",
           f"**{result.title}** ({result.kind}) · answers: **{result.source}** · status: {result.status}"
           + (f" · {result.recorded} recordings written" if result.recorded else ""), ""]
    if result.description:
        out += [result.description, ""]
    if result.error:
        out += ["```", result.error, "```", ""]
    if result.scores:
        out += ["| metric | value | baseline | verdict |", "|---|---|---|---|"]
        for score in result.scores:
            verdict = report.verdict_of(result, score.metric)
            base = f"{verdict.baseline:g}" if verdict and verdict.baseline is not None else "–"
            word = VERDICT_WORDS[verdict.status] if verdict else ""
            out.append(f"| {score.metric} | {score.text()} | {base} | {word} |")
        out.append("")
    evidence = [(s.metric, line) for s in result.scores for line in s.evidence]
    if evidence:
        out += ["Evidence:", ""] + [f"- **{m}**: {line}" for m, line in evidence] + [""]
    if result.thumbs:
        folder = thumbs_dir / f"{result.case}--{result.variant}"
        folder.mkdir(parents=True, exist_ok=True)
        images = []
        for thumb in result.thumbs:
            atomic_write_bytes(folder / f"{thumb.shot_id}.png", thumb.png)
            images.append(f"![{thumb.caption}]({rel}/{folder.name}/{thumb.shot_id}.png)")
        out += ["Storyboard frames across the cut:", "", " ".join(images), ""]
    return out


def _md_compare(report: EvalReport) -> list[str]:
    """Variants side by side in Markdown (nothing when there is only one)."""
    table = comparison(report)
    variants = sorted({r.variant for r in report.results})
    if len(variants) < 2 or not table:
        return []
    rows = ["## Side by side", "", "Mean over the cases every variant ran.", "",
            "| metric | " + " | ".join(variants) + " |", "|---|" + "---|" * len(variants)]
    for metric, values in table.items():
        rows.append(f"| {metric} | " + " | ".join(f"{values[v]:g}" if v in values else "–" for v in variants) + " |")
    return [*rows, ""]


def write_markdown(report: EvalReport, path: Path) -> list[Path]:
    """Write the Markdown report and its thumbnails folder; return what was written."""
    thumbs_dir = _files_dir(path)
    if thumbs_dir.exists():
        shutil.rmtree(thumbs_dir)
    lines = ["# filmcrew eval report", "", _summary_line(report), "", *_md_summary(report), ""]
    for title, items in (("Regressions", report.regressions()), ("Improvements", report.improvements())):
        if items:
            lines += [f"## {title}", "", *[f"- {line}" for line in items], ""]
    lines += _md_compare(report)
    for result in report.results:
        lines += _md_case(report, result, thumbs_dir, thumbs_dir.name)
    lines += ["## What the metrics mean", "", *[f"- **{k}**: {v}" for k, v in GLOSSARY.items()]]
    atomic_write_text(path, "\n".join(lines).rstrip() + "\n")
    return [path, *([thumbs_dir] if thumbs_dir.exists() else [])]


# --- HTML ----------------------------------------------------------------------------------

CSS = """
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem auto;max-width:1180px;padding:0 1rem;color:#1d1f23}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.2rem;margin-top:2.2rem;border-bottom:1px solid #ddd;padding-bottom:.3rem}
.lead{color:#555}table{border-collapse:collapse;margin:.6rem 0;font-size:.86rem}
th,td{padding:.28rem .55rem;border-bottom:1px solid #eee;text-align:right;white-space:nowrap}
th{background:#f6f6f8;position:sticky;top:0}td:first-child,th:first-child,td.l{text-align:left}
.worse{color:#b3261e;font-weight:600}.better{color:#1b7f3b}.new{color:#2962a8}.error{color:#b3261e;font-weight:600}
.badge{display:inline-block;border-radius:.7rem;padding:0 .55rem;font-size:.78rem;line-height:1.5rem}
.authored{background:#fff1cc;color:#7a5600}.recorded{background:#dbe9ff;color:#1f4f99}.rules{background:#eee;color:#555}
.mixed{background:#f3dcff;color:#6a2c91}.live{background:#d8f5e3;color:#1b6b3a}
details{margin:.4rem 0}summary{cursor:pointer;color:#444}ul.ev{margin:.3rem 0 .6rem 1.2rem;padding:0;font-size:.85rem}
.thumbs{display:flex;flex-wrap:wrap;gap:.6rem;margin:.6rem 0}.thumbs figure{margin:0;display:flex;flex-direction:column}
.thumbs img{height:146px;width:auto;max-width:260px;border:1px solid #ccc;border-radius:3px;background:#fff}
.thumbs figcaption{width:0;min-width:100%;font-size:.72rem;color:#555;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.wide{overflow-x:auto}.desc{color:#444;margin-top:-.4rem}dl{font-size:.85rem}dt{font-weight:600;margin-top:.3rem}dd{margin-left:1rem;color:#444}
pre{background:#fbf3f2;border:1px solid #f0cfcb;padding:.6rem;overflow:auto;font-size:.8rem;white-space:pre-wrap}
"""


def _e(text: object) -> str:
    """Escape for HTML."""
    return html.escape(str(text))


def _badge(source: str) -> str:
    """A coloured label saying who answered."""
    kind = source.split()[0] if source else "rules"
    css = {"authored": "authored", "recorded": "recorded", "mixed": "mixed", "live": "live"}.get(kind, "rules")
    return f'<span class="badge {css}">{_e(source)}</span>'


def _html_summary(report: EvalReport) -> str:
    """The summary table in HTML."""
    metrics = report.metrics()
    head = "".join(f"<th>{_e(h)}</th>" for h in ["case", "answers", *[HEADERS.get(m, m) for m in metrics], "verdict"])
    rows = []
    for result in report.results:
        scores = {s.metric: s for s in result.scores}
        cells = []
        for metric in metrics:
            verdict = report.verdict_of(result, metric)
            css = verdict.status if verdict and verdict.status in ("worse", "better") else ""
            cells.append(f'<td class="{css}">{_e(cell(scores[metric])) if metric in scores else "–"}</td>')
        status = report.status_of(result)
        rows.append(f'<tr><td><a href="#{_e(result.key)}">{_e(result.case)}</a></td><td class="l">{_badge(result.source)}</td>'
                    f'{"".join(cells)}<td class="{_e(status)} l">{_e(status)}</td></tr>')
    return f'<div class="wide"><table><tr>{head}</tr>{"".join(rows)}</table></div>'


def _html_case(report: EvalReport, result: CaseResult) -> str:
    """One case run's section in HTML."""
    status = f'<span class="{_e(report.status_of(result))}">{_e(result.status)}</span>'
    parts = [f'<h2 id="{_e(result.key)}">{_e(result.case)} · {_e(result.variant)}</h2>',
             f"<p><b>{_e(result.title)}</b> ({_e(result.kind)}) · answers {_badge(result.source)} · status {status}</p>"]
    if result.description:
        parts.append(f'<p class="desc">{_e(result.description)}</p>')
    if result.error:
        parts.append(f"<pre>{_e(result.error)}</pre>")
    if result.scores:
        rows = []
        for score in result.scores:
            verdict = report.verdict_of(result, score.metric)
            base = f"{verdict.baseline:g}" if verdict and verdict.baseline is not None else "–"
            status = verdict.status if verdict else "new"
            evidence = "".join(f"<li>{_e(line)}</li>" for line in score.evidence)
            shut = status != "worse" and (score.better == "lower" or score.value >= 1)
            detail = (f'<details{"" if shut else " open"}><summary>{len(score.evidence)} line(s)</summary>'
                      f'<ul class="ev">{evidence}</ul></details>') if evidence else ""
            rows.append(f'<tr><td>{_e(score.metric)}</td><td>{_e(score.text())}</td><td>{_e(base)}</td>'
                        f'<td class="{_e(status)} l">{_e(VERDICT_WORDS.get(status, status))}</td><td class="l">{detail}</td></tr>')
        parts.append("<table><tr><th>metric</th><th>value</th><th>baseline</th><th>verdict</th><th>evidence</th></tr>"
                     + "".join(rows) + "</table>")
    if result.thumbs:
        figures = "".join(f'<figure><img alt="{_e(t.caption)}" src="data:image/png;base64,'
                          f'{base64.b64encode(t.png).decode("ascii")}"><figcaption>{_e(t.caption)}</figcaption></figure>'
                          for t in result.thumbs)
        parts.append(f'<div class="thumbs">{figures}</div>')
    return "\n".join(parts)


def _html_list(title: str, items: list[str], css: str) -> str:
    """A titled list (regressions, improvements), or nothing."""
    if not items:
        return ""
    return f"<h2>{_e(title)}</h2><ul>" + "".join(f'<li class="{css}">{_e(i)}</li>' for i in items) + "</ul>"


def _html_compare(report: EvalReport) -> str:
    """Variants side by side in HTML (nothing when there is only one)."""
    table = comparison(report)
    variants = sorted({r.variant for r in report.results})
    if len(variants) < 2 or not table:
        return ""
    head = "".join(f"<th>{_e(v)}</th>" for v in variants)
    rows = "".join(f"<tr><td>{_e(m)}</td>" + "".join(f"<td>{values[v]:g}</td>" if v in values else "<td>–</td>"
                                                     for v in variants) + "</tr>" for m, values in table.items())
    return f"<h2>Side by side</h2><p class=lead>Mean over the cases every variant ran.</p><table><tr><th>metric</th>{head}</tr>{rows}</table>"


def write_html(report: EvalReport, path: Path) -> list[Path]:
    """Write one self-contained HTML page (thumbnails inlined); return it."""
    body = [f"<h1>filmcrew eval report</h1><p class=lead>{_e(_summary_line(report, ''))}</p>", _html_summary(report),
            _html_list("Regressions", report.regressions(), "worse"),
            _html_list("Improvements", report.improvements(), "better"), _html_compare(report)]
    body += [_html_case(report, r) for r in report.results]
    body.append("<h2>What the metrics mean</h2><dl>" + "".join(f"<dt>{_e(k)}</dt><dd>{_e(v)}</dd>" for k, v in GLOSSARY.items())
                + "</dl>")
    page = (f'<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>filmcrew eval report</title>'
            f"<style>{CSS}</style></head><body>\n" + "\n".join(b for b in body if b) + "\n</body></html>\n")
    atomic_write_text(path, page)
    return [path]


def write_report(report: EvalReport, path: Path) -> list[Path]:
    """Write the report in the format its suffix names (.md, .html, .json); return the files."""
    suffix = path.suffix.lower()
    if suffix == ".json":
        atomic_write_text(path, json.dumps(json_report(report), sort_keys=True, indent=2, ensure_ascii=False) + "\n")
        return [path]
    if suffix in (".md", ".markdown"):
        return write_markdown(report, path)
    if suffix in (".html", ".htm"):
        return write_html(report, path)
    raise InputError(f"unknown report format {path.suffix!r}; use .md, .html or .json", path=str(path))
