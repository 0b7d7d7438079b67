"""The projects' import in a real Chromium at 360 px (#18): a spreadsheet with its own headers,
its columns mapped on the mapping page, the rows reviewed, then imported; axe-clean."""

from tremplin.projects.models import Project
from tremplin.testing.browser import PHONE, console_errors, csp_errors, format_violations


def test_a_coordinator_imports_projects_after_mapping_their_columns(
    new_page, logged_in_page, axe_audit, personas, world, tmp_path
):
    path = tmp_path / "projets.csv"
    path.write_bytes(
        (
            "Intitulé;Genre;Statut;Date de début;OMH\r\n"
            f"Potager collectif;Sécurité alimentaire;En cours;2024-05-01;{world['omh_a'].name}\r\n"
            "Atelier;Cuisine;idée;;\r\n"
        ).encode("cp1252")
    )
    page = logged_in_page(personas["coordination"], page=new_page(viewport=PHONE))

    def check():
        violations = axe_audit(page)
        assert not violations, format_violations(violations, page.url)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], page.url

    page.goto("/importations/projects/")
    check()
    page.get_by_label("Fichier CSV ou Excel (.xlsx)").set_input_files(str(path))
    page.get_by_role("button", name="Envoyer le fichier").click()
    page.wait_for_url("**/correspondance/")
    assert "Champ obligatoire sans colonne" in page.get_by_role("alert").inner_text()
    check()
    page.get_by_label("Intitulé", exact=True).select_option("title")
    page.get_by_label("Genre", exact=True).select_option("kind")
    page.get_by_role("button", name="Vérifier les lignes").click()
    page.wait_for_url("**/importations/*/")
    assert "« Cuisine » inconnu dans la colonne « Genre »" in page.content()
    check()
    page.get_by_role("button", name="Importer la ligne acceptée").click()
    page.get_by_role(
        "link", name="Télécharger les lignes rejetées (.xlsx, avec leurs motifs)"
    ).wait_for()
    check()
    project = Project.objects.get(title="Potager collectif")
    assert list(project.providers.all()) == [world["omh_a"]]
    assert not console_errors(page) and not csp_errors(page)
