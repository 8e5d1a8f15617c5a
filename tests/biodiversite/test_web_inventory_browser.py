"""Accessibility (axe-core), CSP and console of the inventory pages and of the season form with its
classifier fields, at 1280 and 390 px, for the naturalist and the scientific lead."""

from __future__ import annotations

import shutil

import pytest

from tests.web.browser import Visit, account, browser, walk  # noqa: F401  (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_inventory_pages_are_accessible_for_both_roles(browser, live_server, settings, tmp_path,  # noqa: F811
                                                       shared_data):

    from amorce.biodiversite.models import Season, data_dir

    settings.AMORCE_DATA_DIR = tmp_path / "data"
    season = Season.objects.create(name="Exemple Camtrap DP", source=str(tmp_path), detector="motion")
    out = data_dir() / "seasons" / str(season.pk)
    (out / "camtrapdp").mkdir(parents=True)
    for name in ("datapackage.json", "deployments.csv", "media.csv", "observations.csv"):
        shutil.copy2(shared_data / "camtrap_dp_example" / name, out / "camtrapdp" / name)
    season.output_dir = str(out)
    season.save(update_fields=["output_dir"])
    (data_dir() / "sources" / "saison1").mkdir(parents=True)

    inventory = f"/biodiversite/saisons/{season.pk}/inventaire/"
    scientist = [Visit("saison", f"/biodiversite/saisons/{season.pk}/"), Visit("inventaire", inventory),
                 Visit("inventaire par mois, carte en IAR",
                       inventory + "?intervalle=60&reference=independant&periode=mois&occasion=3&carte=iar"),
                 Visit("inventaire, paramètre invalide",
                       inventory + "?intervalle=trente&reference=derniere&periode=saison&occasion=0&carte=evenements"),
                 Visit("nouvelle saison (classifieur, liste d'espèces)", "/biodiversite/saisons/nouvelle/")]
    visits = {account("responsable_scientifique"): scientist, account("naturaliste"): [Visit("inventaire", inventory)]}

    heights = []

    def three_charts(session, user, visit):
        if visit.name == "inventaire":  # the three charts are inline accessible SVG
            assert session.page.locator("svg[role=img]").count() == 3
            if session.page.viewport_size["width"] >= 1280:  # long tables folded: a page one can scroll
                heights.append(session.page.evaluate("document.documentElement.scrollHeight"))

    problems, checked = walk(browser, live_server.url, visits, on_page=three_charts)
    assert checked >= 14
    assert not problems, "\n".join(problems)
    assert heights and max(heights) < 8000, heights  # 14,063 px before the tables were folded
