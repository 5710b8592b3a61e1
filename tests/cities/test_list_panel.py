"""The filter panel, the sort menu, the wording of filters and compare picks kept
across the pages of /cities/."""

from cities.models import City


def test_filters_sit_behind_a_disclosure_that_counts_them(client, real_data):
    html = client.get("/cities/?member_state=thailand&member_state=viet-nam").content
    html = html.decode()
    assert '<details class="filter-panel" id="filter-panel">' in html
    assert "Filters (2<span" in html
    # The sort menu is beside the results, and keeps the filters.
    results = html.split('id="results-heading"', 1)[1]
    sort = results.split('class="sort-form"', 1)[1].split("</form>", 1)[0]
    assert '<select id="id_sort" name="sort">' in sort
    assert 'name="member_state" value="thailand"' in sort
    assert 'name="member_state" value="viet-nam"' in sort


def test_chips_and_empty_state_say_any_of_within_and_all_of_across(client, real_data):
    html = client.get(
        "/cities/?member_state=thailand&member_state=viet-nam&goal=civic-and-social"
    ).content.decode()
    chips = html.split('class="chips"', 1)[1].split("</ul>", 1)[0]
    assert "<strong>all of</strong>" in chips
    assert "Member state (any of):" in chips
    assert "within member state, <strong>any of</strong>" in chips

    empty = client.get(
        "/cities/?member_state=brunei-darussalam&cohort=2025"
    ).content.decode()
    assert "No city matches these filters" in empty
    assert "<strong>any of</strong> the options ticked within one filter" in empty


def test_zero_count_options_are_folded_behind_show_all(client, real_data):
    html = client.get("/cities/?member_state=thailand").content.decode()
    cohort = html.split('id="facet-cohort"', 1)[1].split("</details>\n</details>", 1)
    goal = html.split('id="facet-challenge"', 1)[1]
    assert cohort
    folded = goal.split('class="facet-zero"', 1)[1].split("</details>", 1)[0]
    shown = goal.split('class="facet-zero"', 1)[0]
    for option in folded.split('class="facet-option"')[1:]:
        assert "(0)</span>" in option
    for option in shown.split('class="facet-option"')[1:]:
        assert "(0)</span>" not in option


def test_goals_on_city_cards_are_not_styled_as_links(client, real_data):
    html = client.get("/cities/").content.decode()
    card = html.split('<article class="card">', 2)[1].split("</article>", 1)[0]
    assert 'class="tag"' not in card
    assert 'class="card-goals"' in card


def test_compare_picks_are_kept_in_the_query_string(client, real_data):
    response = client.get("/cities/?compare=zzz-unknown&compare=bangkok&page=2")
    html = response.content.decode()
    on_page = {city.slug for city in response.context["cities"]}
    assert response.context["compare_slugs"] == ["bangkok"]
    if "bangkok" in on_page:
        assert 'value="bangkok" id="cmp-bangkok" data-name="Bangkok" checked' in html
    else:
        assert '<input type="hidden" name="compare" value="bangkok">' in html
    assert "Picked to compare (1 of 4): Bangkok." in html
    # The filter form and the page links keep the picks.
    panel = html.split('id="filter-panel"', 1)[1].split("</details>\n", 1)[0]
    assert 'name="compare" value="bangkok"' in html.split("filters-apply")[0]
    assert panel
    assert "compare=bangkok" in html.split('class="pagination"', 1)[1]


def test_the_list_compare_form_lands_on_the_clean_compare_address(client, real_data):
    response = client.get(
        "/compare/?member_state=thailand&page=2&compare=bangkok&compare=phuket"
    )
    assert response.status_code == 302
    assert response["Location"] == "/compare/?city=bangkok&city=phuket"


def test_compare_takes_a_comma_separated_list_of_names(client, real_data):
    response = client.get("/compare/?city=Jakarta, Bangkok; Manila")
    assert response.status_code == 302
    assert response["Location"] == "/compare/?city=jakarta&city=bangkok&city=manila"
    assert client.get(response["Location"]).context["cities"]


def test_compare_cells_name_their_city_for_narrow_screens(client, real_data):
    html = client.get("/compare/?city=jakarta&city=bangkok").content.decode()
    table = html.split('<table class="compare stack">', 1)[1].split("</table>", 1)[0]
    cells = table.split("<tbody>", 1)[1].count("<td")
    labelled = table.count('<td data-label="Jakarta"') + table.count(
        '<td data-label="Bangkok"'
    )
    assert cells == labelled > 0


def test_initiatives_city_facet_lists_every_city(client, real_data):
    response = client.get("/initiatives/")
    city_facet = next(f for f in response.context["facets"] if f.name == "city")
    assert {o.value for o in city_facet.options} == set(
        City.objects.values_list("slug", flat=True)
    )
    assert city_facet.searchable


def test_the_text_box_is_the_filter_forms_and_keeps_what_was_typed(client, db):
    for path in ("/cities/", "/initiatives/"):
        typed = client.get(path, {"q": "flood <b>"}).content.decode()
        assert 'type="search" name="q" value="flood &lt;b&gt;" maxlength="200"' in typed

        # Refused (too long): the page says so and the box still holds the text.
        refused = client.get(path, {"q": "x" * 201})
        assert refused.status_code == 400
        html = refused.content.decode()
        assert "at most 200 characters" in html
        assert f'name="q" value="{"x" * 201}"' in html
