import pytest

from generator import metrics
from generator.models import Kpi

BASE = {"id": "x", "title": "Care leavers in work or learning", "definition": "d", "theme": "t",
        "frequency": "monthly", "source": {"doc": "s"}}


def kpi(values, unit="percent", polarity="higher is better", rag=None, benchmarks=(), target=None) -> Kpi:
    return Kpi.model_validate(BASE | {
        "unit": unit, "polarity": polarity, "rag": rag, "target": target, "benchmarks": list(benchmarks),
        "values": [{"period": p, "value": v} | extra for p, v, *rest in values for extra in [rest[0] if rest else {}]],
    })


THREE_BANDS = {"green": ">= 95", "amber": ">= 87", "red": "< 87"}
LOW_IS_GOOD = {"green": "< 8", "amber": "< 16", "red": ">= 16"}


@pytest.mark.parametrize(("value", "status"), [(97.3, "green"), (95, "green"), (94.9, "amber"), (87, "amber"),
                                               (86.9, "red")])
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


@pytest.mark.parametrize(("polarity", "before", "after", "raw", "judged"), [
    ("lower is better", 98.3, 95.9, "down", "better"),
    ("higher is better", 73.7, 73.0, "down", "worse"),
    ("higher is better", 5.1, 5.1, "same", "same"),
    ("lower is better", 8.0, 9.0, "up", "worse"),
])
def test_direction_is_raw_and_judgement_follows_polarity(polarity, before, after, raw, judged):
    item = kpi([("2022-11", before), ("2022-12", after)], polarity=polarity)
    assert (metrics.direction(item), metrics.judgement(item)) == (raw, judged)


def test_latest_sorts_mixed_periods_by_end_date():
    item = kpi([("2022-12", 551), ("2016-01", 424), ("2017-03-31", 488), ("2019/20", 600)], "count",
               "information only")
    assert str(metrics.latest(item).period) == "2022-12"
    assert str(metrics.previous(item).period) == "2019/20"


def test_summary_sentence_is_computed_from_the_data():
    item = kpi([("2016-01", 424), ("2022-12", 551)], "count", "information only")
    assert metrics.summary(item) == ("Care leavers in work or learning rose from 424 in January 2016 "
                                     "to 551 in December 2022.")
    rate = kpi([("2022-11", 98.3), ("2022-12", 95.9)], "rate per 10,000", "lower is better", benchmarks=[
        {"name": "statistical neighbours", "values": [{"period": "2021/22", "value": 102.4}]},
        {"name": "england", "values": [{"period": "2021/22", "value": 70.0}]}])
    assert metrics.summary(rate) == (
        "Care leavers in work or learning fell from 98.3 per 10,000 in November 2022 to 95.9 per 10,000 in "
        "December 2022; the latest figure is below statistical neighbours (102.4 per 10,000 in 2021/22) "
        "and above England (70.0 per 10,000 in 2021/22).")


def test_benchmark_comparison_is_judged_by_polarity():
    item = kpi([("2022-12", 73.0)], benchmarks=[{"name": "england", "values": [{"period": "2021/22", "value": 55}]}])
    found = metrics.compare(item, "england")
    assert (found.relation, found.judged) == ("above", "better")


def test_percent_disagreeing_with_its_counts_is_found():
    item = kpi([("2022-11", 86.2, {"numerator": 249, "denominator": 289}),
                ("2022-12", 90.0, {"numerator": 249, "denominator": 289})])
    assert [(index, round(computed, 1)) for index, _, computed in metrics.percent_mismatches(item)] == [(1, 86.2)]


def test_small_counts_show_the_count_beside_the_percent():
    item = kpi([("2022-12", 50.0, {"numerator": 3, "denominator": 6})])
    assert metrics.format_with_count(metrics.latest(item), item.unit) == "50.0% (3 of 6)"
    big = kpi([("2022-12", 50.0, {"numerator": 30, "denominator": 60})])
    assert metrics.format_with_count(metrics.latest(big), big.unit) == "50.0%"


def test_dates_take_on_and_months_take_in():
    item = kpi([("2011-03-31", 69), ("2022-12", 95.9)], "rate per 10,000", "lower is better")
    assert metrics.change_sentence(item) == "rose from 69.0 per 10,000 on 31 March 2011 to 95.9 per 10,000 in " \
                                           "December 2022"
