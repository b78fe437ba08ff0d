"""`python -m etl report` on the sample and the full data: every figure written and embedded."""
from __future__ import annotations

import base64
import html

import pytest

from etl.__main__ import main as etl_main
from etl.report import FIGURES, HTML_FILE, build_report, read_etl_report

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize("which", ["sample", "full"])
def test_report_embeds_every_figure_and_finding(request, which, tmp_path):
    processed = request.getfixturevalue(f"{which}_processed")
    catalog = request.getfixturevalue(f"{which}_catalog")
    # Its speed (the 30 s budget) is measured by timing the command, not asserted here.
    report = build_report(catalog, read_etl_report(processed), tmp_path)

    page = report.html_path.read_text(encoding="utf-8")
    assert report.html_path == tmp_path / HTML_FILE
    assert len(report.charts) == len(report.png_paths) == len(FIGURES)
    assert "<script" not in page.lower()
    for chart, path in zip(report.charts, report.png_paths, strict=True):
        png = path.read_bytes()
        assert path == tmp_path / f"{chart.name}.png"
        assert png.startswith(PNG_SIGNATURE)
        assert base64.b64encode(png).decode("ascii") in page
        assert html.escape(chart.finding) in page
        assert html.escape(chart.title) in page


def test_command_writes_the_report(sample_processed, tmp_path, capsys):
    out = tmp_path / "report"
    assert etl_main(["report", "--data", str(sample_processed), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert (out / HTML_FILE).is_file()
    assert f"wrote {out / HTML_FILE}" in printed and " s)" in printed


def test_command_without_processed_data_says_to_run_the_etl(tmp_path, capsys):
    assert etl_main(["report", "--data", str(tmp_path / "nothing"), "--out", str(tmp_path / "out")]) == 2
    error = capsys.readouterr().err
    assert "run `python -m etl` first" in error and len(error.strip().splitlines()) == 1
    assert not (tmp_path / "out").exists()
