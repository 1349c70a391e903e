"""The mission timeline drawn at build time: days to scale, readable without a script."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET

from conftest import copy_seed_project
from microsite.chart import timeline_svg
from microsite.model import Event

SVG = "{http://www.w3.org/2000/svg}"


def event(day: int, title: str, time: str = "") -> Event:
    return Event(date=dt.date(2021, 10, day), title=title, time=time)


def test_the_days_are_drawn_to_scale_and_named_for_screen_readers():
    svg = timeline_svg((event(17, "Return"), event(3, "Film night"), event(5, "Launch", "08:55 GMT"),
                        event(5, "Docking")), "Mission timeline")
    root = ET.fromstring(svg)
    assert root.get("role") == "img"
    assert root.find(f"{SVG}title").text == "Mission timeline: October 2021, days to scale"
    assert root.find(f"{SVG}desc").text == ("3 October: Film night; 5 October, 08:55 GMT: Launch; "
                                            "5 October: Docking; 17 October: Return")
    dots = [(float(c.get("cx")), float(c.get("cy"))) for c in root.iter(f"{SVG}circle")]
    assert len(dots) == 4
    xs = sorted({x for x, _ in dots})
    # 3, 5 and 17 October: two days, then twelve, in proportion
    assert abs((xs[2] - xs[1]) / (xs[1] - xs[0]) - 6) < 0.01
    assert len({y for x, y in dots if x == xs[1]}) == 2  # two events of one day, one above the other
    assert [t.text for t in root.iter(f"{SVG}text")][:3] == ["3", "5", "17"]
    assert len(list(root.iter(f"{SVG}line"))) == 1 + 15  # the axis and a tick a day


def test_no_drawing_for_a_single_day_and_text_is_escaped():
    assert timeline_svg((event(5, "Launch"),), "T") == ""
    svg = timeline_svg((event(3, "A <b> & c"), event(4, "D")), "T & U")
    root = ET.fromstring(svg)
    assert "A <b> & c" in root.find(f"{SVG}desc").text and root.find(f"{SVG}title").text.startswith("T & U")


def test_the_home_page_shows_the_drawing_above_the_list(tmp_path, cli):
    project = copy_seed_project(tmp_path / "seed")
    assert cli(project, "build").status == 0
    home = (project / "site/index.html").read_text("utf-8")
    section = home.split('id="timeline"', 1)[1]
    assert re.search(r'<svg class="timeline-chart" viewBox="0 0 360 \d+" role="img"', section)
    assert section.index("<svg") < section.index('<ol class="timeline">')
