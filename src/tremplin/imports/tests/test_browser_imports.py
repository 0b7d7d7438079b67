"""The import pages in a real Chromium at 360 px: upload, mapping, review, record; axe-clean,
no horizontal scroll, no console or CSP error."""

from tremplin.testing.browser import PHONE, console_errors, csp_errors, format_violations

CSV = (
    "Nom;Rue;Ville;CP;Nb log.\r\n"
    "Office municipal d'habitation de Lévis;10, rue des Commandeurs;Lévis;G6V 6P5;5\r\n"
    "Office municipal d'habitation de Lévis;1, rue de l'Atlantide;Atlantis;G6V 4E1;3\r\n"
).encode()


def test_the_import_steps_work_at_360px_and_are_accessible(
    new_page, logged_in_page, axe_audit, personas, world, tmp_path
):
    page = logged_in_page(personas["coordination"], page=new_page(viewport=PHONE))
    path = tmp_path / "immeubles.csv"
    path.write_bytes(CSV)

    def check():
        violations = axe_audit(page)
        assert not violations, format_violations(violations, page.url)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], page.url

    page.goto("/importations/directory/")
    check()
    page.get_by_label("Fichier CSV ou Excel (.xlsx)").set_input_files(str(path))
    page.get_by_role("button", name="Envoyer le fichier").click()
    page.wait_for_url("**/correspondance/")
    assert "Champ obligatoire sans colonne" in page.get_by_role("alert").inner_text()
    check()
    page.get_by_label("Nom", exact=True).select_option("provider")
    page.get_by_label("Rue").select_option("address")
    page.get_by_role("button", name="Vérifier les lignes").click()
    page.wait_for_url("**/importations/*/")
    assert "Municipalité inconnue : « Atlantis »" in page.content()
    check()
    page.get_by_role("button", name="Importer la ligne acceptée").click()
    page.get_by_role(
        "link", name="Télécharger les lignes rejetées (.xlsx, avec leurs motifs)"
    ).wait_for()
    check()
    assert not console_errors(page) and not csp_errors(page)
