from pathlib import Path

import pytest

from generator import kpi_words, metrics
from generator.models import Kpi

BASE = {
    "id": "x",
    "title": "Care leavers in work or learning",
    "definition": "d",
    "theme": "t",
    "frequency": "monthly",
    "source": {"doc": "s"},
}


def kpi(values, unit="percent", polarity="higher is better", rag=None, benchmarks=(), target=None) -> Kpi:
    return Kpi.model_validate(
        BASE
        | {
            "unit": unit,
            "polarity": polarity,
            "rag": rag,
            "target": target,
            "benchmarks": list(benchmarks),
            "values": [
                {"period": p, "value": v} | extra for p, v, *rest in values for extra in [rest[0] if rest else {}]
            ],
        }
    )


THREE_BANDS = {"green": ">= 95", "amber": ">= 87", "red": "< 87"}
LOW_IS_GOOD = {"green": "< 8", "amber": "< 16", "red": ">= 16"}


@pytest.mark.parametrize(
    ("value", "status"), [(97.3, "green"), (95, "green"), (94.9, "amber"), (87, "amber"), (86.9, "red")]
)
def test_three_band_rag_on_the_latest_value(value, status):
    assert metrics.rag_status(kpi([("2022-11", 50), ("2022-12", value)], rag=THREE_BANDS)) == status


@pytest.mark.parametrize(("value", "status"), [(7.9, "green"), (9.2, "amber"), (16, "red")])
def test_lower_is_better_bands(value, status):
    assert metrics.rag_status(kpi([("2022-12", value)], polarity="lower is better", rag=LOW_IS_GOOD)) == status


def test_two_band_kpi_has_no_amber():
    bands = {"green": "< 95.2", "red": ">= 95.2"}
    assert metrics.rag_status(kpi([("2022-12", 95.9)], "rate per 10,000", "lower is better", bands)) == "red"
    assert metrics.rag_status(kpi([("2022-12", 95.1)], "rate per 10,000", "lower is better", bands)) == "green"


def test_information_only_has_no_rag_and_no_judgement():
    item = kpi([("2022-11", 565), ("2022-12", 551)], "count", "information only")
    assert metrics.rag_status(item) is None
    assert metrics.direction(item) == "down"
    assert metrics.judgement(item) is None


def test_information_only_refuses_bands():
    with pytest.raises(ValueError, match="not allowed on an .information only. KPI"):
        kpi([("2022-12", 1)], "count", "information only", rag=THREE_BANDS)


@pytest.mark.parametrize(
    ("polarity", "before", "after", "raw", "judged"),
    [
        ("lower is better", 98.3, 95.9, "down", "better"),
        ("higher is better", 73.7, 73.0, "down", "worse"),
        ("higher is better", 5.1, 5.1, "same", "same"),
        ("lower is better", 8.0, 9.0, "up", "worse"),
    ],
)
def test_direction_is_raw_and_judgement_follows_polarity(polarity, before, after, raw, judged):
    item = kpi([("2022-11", before), ("2022-12", after)], polarity=polarity)
    assert (metrics.direction(item), metrics.judgement(item)) == (raw, judged)


def test_latest_sorts_mixed_periods_by_end_date():
    item = kpi([("2022-12", 551), ("2016-01", 424), ("2017-03-31", 488), ("2019/20", 600)], "count", "information only")
    assert str(metrics.latest(item).period) == "2022-12"
    assert str(metrics.previous(item).period) == "2017-03-31", "the base is the last value of the same length"


def test_summary_sentence_is_computed_from_the_data():
    item = kpi([("2021-12", 424), ("2022-12", 551)], "count", "information only")
    assert kpi_words.summary(item, "Northby") == (
        "Care leavers in work or learning: 551 in December 2022, up from 424 a year earlier (December 2021)."
    )
    rate = kpi(
        [("2021/22", 98.3), ("2022/23", 95.9)],
        "rate per 10,000",
        "lower is better",
        benchmarks=[
            {"name": "statistical neighbours", "values": [{"period": "2021/22", "value": 102.4}]},
            {"name": "england", "values": [{"period": "2021/22", "value": 70.0}]},
        ],
    )
    assert kpi_words.summary(rate, "Northby") == (
        "Care leavers in work or learning: 95.9 per 10,000 in 2022/23, down from 98.3 per 10,000 the year before "
        "(2021/22). In 2021/22, the figure for Northby (98.3 per 10,000) was below statistical neighbours "
        "(102.4 per 10,000) and above England (70.0 per 10,000)."
    )


def test_benchmark_comparison_is_judged_by_polarity():
    item = kpi([("2021/22", 73.0)], benchmarks=[{"name": "england", "values": [{"period": "2021/22", "value": 55}]}])
    found = metrics.compare(item, "england")
    assert (found.relation, found.judged) == ("above", "better")


def test_percent_disagreeing_with_its_counts_is_found():
    item = kpi(
        [
            ("2022-11", 86.2, {"numerator": 249, "denominator": 289}),
            ("2022-12", 90.0, {"numerator": 249, "denominator": 289}),
        ]
    )
    assert [(index, round(computed, 1)) for index, _, computed in metrics.percent_mismatches(item)] == [(1, 86.2)]


def test_small_counts_show_the_count_beside_the_percent():
    item = kpi([("2022-12", 50.0, {"numerator": 3, "denominator": 6})])
    assert metrics.format_with_count(metrics.latest(item), item.unit) == "50.0% (3 of 6)"
    big = kpi([("2022-12", 50.0, {"numerator": 30, "denominator": 60})])
    assert metrics.format_with_count(metrics.latest(big), big.unit) == "50.0%"


def test_dates_take_on_and_months_take_in():
    item = kpi([("2021-03-31", 69), ("2022-03-31", 95.9)], "rate per 10,000", "lower is better")
    assert kpi_words.summary(item).startswith(
        "Care leavers in work or learning: 95.9 per 10,000 on 31 March 2022, "
        "up from 69.0 per 10,000 a year earlier (31 March 2021)."
    )


# --- The rules of the summary engine, one by one -------------------------------------------------


def test_rule_like_with_like_prefers_the_same_month_a_year_earlier():
    item = kpi([("2021-12", 95.5), ("2022-11", 97.8), ("2022-12", 97.2)])
    base = metrics.comparison_base(item)
    assert (str(base.value.period), kpi_words.BASE_WORDS[base.kind]) == ("2021-12", "a year earlier")


def test_rule_otherwise_the_previous_period_of_the_same_length_named_by_kind():
    item = kpi([("2020/21", 80), ("2022-11", 73.3), ("2022-12", 44.4)])
    base = metrics.comparison_base(item)
    assert (str(base.value.period), kpi_words.BASE_WORDS[base.kind]) == ("2022-11", "the month before")
    yearly = kpi([("2020/21", 80), ("2021/22", 70)])
    assert metrics.comparison_base(yearly).kind is metrics.BaseKind.YEAR_BEFORE


def test_rule_never_compares_periods_of_different_length():
    item = kpi([("2013/14", 12.0), ("2015/16", 36.0), ("2022-12", 44.4)])
    assert metrics.comparison_base(item) is None
    assert metrics.direction(item) is None
    assert "2015/16" not in kpi_words.summary(item) and "2013/14" not in kpi_words.summary(item)
    part = kpi([("2020/21", 8.5, {"covers": "part of the period"}), ("2021/22", 3.9)])
    assert metrics.comparison_base(part) is None


def test_rule_a_month_end_day_counts_as_that_month():
    item = kpi([("2021-12-31", 574), ("2022-12", 551)], "count", "information only")
    assert metrics.comparison_base(item).kind is metrics.BaseKind.A_YEAR_EARLIER
    mid_month = kpi([("2021-12-15", 574), ("2022-12", 551)], "count", "information only")
    assert metrics.comparison_base(mid_month) is None


@pytest.mark.parametrize(
    ("unit", "before", "after", "same"),
    [
        ("percent", 97.3, 97.2, True),
        ("percent", 97.3, 96.8, False),
        ("percent", 50.0, 50.49, True),
        ("count", 551, 560, True),
        ("count", 551, 563, False),
        ("days", 500, 509, True),
        ("days", 500, 511, False),
        ("rate per 10,000", 95.9, 97.7, True),
        ("rate per 10,000", 95.9, 98.0, False),
    ],
)
def test_rule_about_the_same_threshold_per_unit(unit, before, after, same):
    assert metrics.about_the_same(metrics.Unit(unit), before, after) is same
    item = kpi([("2021-12", before), ("2022-12", after)], unit, "higher is better")
    assert ("about the same as" in kpi_words.summary(item)) is same


def test_rule_peak_and_low_are_mentioned_when_far_and_not_when_near():
    far = kpi([("2018-08", 657), ("2020-12", 600), ("2021-12", 574), ("2022-12", 551)], "count", "information only")
    assert "The highest shown was 657 in August 2018." in kpi_words.summary(far)
    near = kpi([("2018-08", 560), ("2020-12", 555), ("2021-12", 552), ("2022-12", 551)], "count", "information only")
    assert "highest" not in kpi_words.summary(near)


def test_rule_year_to_date_and_rolling_figures_are_labelled():
    ytd = kpi(
        [("2021-12", 457.1, {"covers": "year to date"}), ("2022-12", 552, {"covers": "year to date"})],
        "days",
        "lower is better",
    )
    text = kpi_words.summary(ytd)
    assert "552 days in the year to date (April to December 2022)" in text
    assert "at the same point a year earlier (April to December 2021)" in text
    rolling = kpi([("2022-12", 40, {"covers": "rolling 12 months"})])
    assert "in the 12 months to December 2022" in kpi_words.summary(rolling)
    mixed = kpi([("2021-12", 80), ("2022-12", 552, {"covers": "year to date"})], "days", "lower is better")
    assert metrics.comparison_base(mixed) is None


def test_rule_benchmarks_compared_only_for_the_same_period_and_period_named():
    item = kpi(
        [("2021/22", 96.6), ("2021-12", 95.5), ("2022-12", 97.2)],
        benchmarks=[
            {"name": "england", "values": [{"period": "2021/22", "value": 88.0}]},
            {"name": "yorkshire and the humber", "values": [{"period": "2022/23", "value": 90.0}]},
        ],
    )
    text = kpi_words.summary(item, "Northby")
    assert "In 2021/22, the figure for Northby (96.6%) was above England (88.0%)." in text
    assert "Yorkshire" not in text, "no own 2022/23 figure, so no comparison"
    region = metrics.compare(item, "yorkshire and the humber")
    assert (region.relation, region.own, str(region.value.period)) == (None, None, "2022/23")


def test_rule_target_for_the_value_period():
    item = Kpi.model_validate(
        BASE
        | {
            "unit": "percent",
            "polarity": "higher is better",
            "target": 50,
            "targets": [{"period": "2021/22", "value": 60}, {"period": "2022/23", "value": 70}],
            "values": [{"period": "2022-03", "value": 65}, {"period": "2022-12", "value": 65}],
        }
    )
    assert metrics.target_for(item) == 70
    assert metrics.target_for(item, item.values[0]) == 60
    assert metrics.rag_status(item) == "red"
    assert "The latest figure misses the 2022/23 target of 70.0%." in kpi_words.summary(item)


def test_target_without_bands_gives_a_status():
    item = kpi([("2021/22", 3.9)], target=15)
    assert metrics.rag_status(item) == "red"
    assert "The latest figure misses the target of 15.0%." in kpi_words.summary(item)
    met = kpi([("2021/22", 16)], target=15)
    assert metrics.rag_status(met) == "green"


@pytest.mark.parametrize(
    ("bands", "message"),
    [
        ({"green": ">= 95", "red": "< 90"}, "gap: a value between 90 and 95 is in no band"),
        ({"green": "> 95", "red": "< 96"}, "overlap: a value between 95 and 96 is both red and green"),
        (
            {"green": ">= 95", "amber": ">= 87", "red": "< 88"},
            "overlap: a value between 87 and 88 is both red and amber",
        ),
        ({"green": ">= 95", "amber": ">= 87", "red": "< 86"}, "gap: a value between 86 and 87 is in no band"),
        ({"green": ">= 95", "red": "<= 95"}, "overlap: 95 is both red and green"),
    ],
)
def test_rag_bands_with_a_gap_or_overlap_are_refused(bands, message):
    with pytest.raises(ValueError, match=message):
        kpi([("2022-12", 90)], rag=bands)


def test_rates_are_checked_against_their_counts():
    item = kpi([("2022-12", 95.9, {"numerator": 551, "denominator": 57_500})], "rate per 10,000", "lower is better")
    assert metrics.ratio_mismatches(item) == []
    wrong = kpi([("2022-12", 80.0, {"numerator": 551, "denominator": 57_500})], "rate per 10,000", "lower is better")
    assert [round(c, 1) for _, _, c in metrics.ratio_mismatches(wrong)] == [95.8]


def test_frequency_disagreeing_with_the_periods_is_noticed():
    assert metrics.frequency_mismatch(kpi([("2021/22", 1)])) == (
        "frequency is monthly but the latest value is for 2021/22 (financial year)"
    )
    assert metrics.frequency_mismatch(kpi([("2022-12-31", 1)])) is None


# --- The 13 demo summaries that misled (issue 12), read from data/kpis/ ------------------------


@pytest.fixture(scope="module")
def demo():
    from generator.pipeline import load_project

    project = load_project(Path(__file__).resolve().parent.parent / "site_config.yml")
    assert not project.problems.has_errors, project.problems.format()
    return lambda kpi_id: kpi_words.summary(project.dataset.kpis[kpi_id], project.settings.area_name), project


def test_demo_1_children_looked_after_names_the_2018_peak_and_the_year_earlier(demo):
    text = demo[0]("children-looked-after")
    assert text.startswith(
        "Children looked after: 551 in December 2022, down from 574 a year earlier (31 December 2021)."
    )
    assert "The highest shown was 657 on 31 August 2018" in text
    assert "380" not in text, "the 2012 figure is a whole year, not a month"


def test_demo_2_rate_per_10000_names_its_peak(demo):
    text = demo[0]("looked-after-rate-per-10000")
    assert "down from 99.9 per 10,000 a year earlier" in text
    assert "The highest shown was 106.1 per 10,000 on 1 April 2021" in text
    assert (
        "In 2021/22, the figure for Rotherham (97.8 per 10,000) was below statistical neighbours "
        "(102.4 per 10,000) and above England (70.0 per 10,000)."
    ) in text


def test_demo_3_health_checks_fell_from_a_higher_point(demo):
    text = demo[0]("health-assessments-up-to-date")
    assert "74.5% in December 2022, down from 85.2% a year earlier" in text
    assert "The highest shown was 93.6% in September 2016." in text
    assert "21.0%" not in text


def test_demo_4_dental_checks_fell_from_a_higher_point(demo):
    text = demo[0]("dental-checks-up-to-date")
    assert "59.6% in December 2022, down from 62.9% the month before" in text
    assert "The highest shown was 91.6% in September 2016." in text
    assert "41.0%" not in text


def test_demo_5_pathway_plans_name_the_year_earlier_and_the_peak(demo):
    text = demo[0]("pathway-plans-up-to-date")
    assert "74.8% in December 2022, down from 78.4% a year earlier" in text
    assert "The highest shown was 82.1% in October 2022" in text


def test_demo_6_first_health_assessments_never_set_a_year_against_a_month(demo):
    text = demo[0]("initial-health-assessments-on-time")
    assert "2013/14" not in text and "12.0%" not in text
    assert (
        "In the year to date (April to December 2022) it was 71.1%, up from 64.3% at the same point a year "
        "earlier." in text
    )


def test_demo_7_permanence_shows_the_small_month_and_the_year_to_date(demo):
    text = demo[0]("ceased-due-to-permanence")
    assert "8.7% (2 of 23) in December 2022" in text
    assert "Monthly figures rest on small numbers. In the year to date (April to December 2022) it was 27.5%." in text


def test_demo_8_suitable_accommodation_is_up_on_a_year_earlier(demo):
    text = demo[0]("care-leavers-suitable-accommodation")
    assert "97.2% in December 2022, up from 95.5% a year earlier (December 2021)" in text
    assert "fell" not in text and "97.3%" not in text


@pytest.mark.parametrize(
    ("kpi_id", "words"),
    [
        (
            "days-to-adoption-placement",
            "552 days in the year to date (April to December 2022), up from 457.1 days at the "
            "same point a year earlier (April to December 2021)",
        ),
        (
            "days-placement-order-to-match",
            "210 days in the year to date (April to December 2022), down from 263.9 days "
            "at the same point a year earlier (April to December 2021)",
        ),
    ],
)
def test_demo_9_and_10_adoption_days_are_labelled_year_to_date(demo, kpi_id, words):
    text = demo[0](kpi_id)
    assert words in text
    assert "in December 2022" not in text


def test_demo_11_foster_enquiry_conversion_is_not_compared_across_its_break(demo):
    """2021/22 is counted against information visits, not enquiries (issue 21): no change from
    11.5%, no 2017 target, and no national average whose year the papers do not give."""
    text, project = demo[0]("foster-carer-enquiry-conversion"), demo[1]
    item = project.dataset.kpis["foster-carer-enquiry-conversion"]
    assert metrics.rag_status(item) is None and metrics.comparison_base(item) is None
    assert text.startswith("Fostering enquiries that lead to approval: 3.9% in 2021/22.")
    assert "11.5%" not in text and "target" not in text and "England" not in text
    assert "8.5%" not in text, "2020/21 covers only part of the year"


@pytest.mark.parametrize(
    ("kpi_id", "words", "not_there"),
    [
        ("long-term-placement-stability", "66.1% in December 2022, down from 71.3% a year earlier", "71.9%"),
        ("three-or-more-placements", "9.2% in December 2022, down from 9.8% a year earlier", "12.0%"),
    ],
)
def test_demo_12_and_13_placement_stability_compares_months_not_old_years(demo, kpi_id, words, not_there):
    text = demo[0](kpi_id)
    assert words in text
    assert not_there not in text
    assert "In 2021/22, the figure for Rotherham (" in text


def test_status_bands_are_written_in_words_with_the_unit():
    item = kpi([("2022-12", 70)], rag={"green": ">= 66", "amber": ">= 58", "red": "< 58"})
    assert kpi_words.band_text(item) == (
        "on target at 66.0% or above, close to target at 58.0% or above, off target below 58.0%"
    )
    assert ">=" not in kpi_words.band_text(item)
