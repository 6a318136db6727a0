"""Dates: every form parsed to aware UTC; dateline dates never in the future; Indian wires in IST."""

import warnings
from datetime import datetime, timedelta, timezone

from hypothesis import given, settings
from hypothesis import strategies as st

from wiredesk.ingest.dates import IST, month_number, parse_date, parse_day_month

UTC = timezone.utc


def test_iso_rfc_epoch_and_free_text():
    assert parse_date("2020-06-11T16:25:00-04:00") == datetime(2020, 6, 11, 20, 25, tzinfo=UTC)
    assert parse_date("2016-12-01T23:29:49Z") == datetime(2016, 12, 1, 23, 29, 49, tzinfo=UTC)
    assert parse_date("Thu, 01 Dec 2016 23:29:49 GMT") == datetime(2016, 12, 1, 23, 29, 49, tzinfo=UTC)
    assert parse_date("1529283660000") == datetime(2018, 6, 18, 1, 1, tzinfo=UTC)
    assert parse_date("09 AUG 2026 12:45PM", zone=IST) == datetime(2026, 8, 9, 7, 15, tzinfo=UTC)
    assert parse_date("not a date") is None and parse_date("") is None


def test_date_only_indian_page_is_midnight_ist():
    assert parse_date("2019-11-20", zone=IST) == datetime(2019, 11, 19, 18, 30, tzinfo=UTC)


def test_month_names_of_wire_languages():
    assert [month_number(m) for m in ("Dec.", "mai", "LUG", "März", "Sept")] == [12, 5, 7, 3, 9]
    assert month_number("Monday") is None


def test_dateline_year_from_reference_never_future():
    reference = datetime(2025, 1, 10, tzinfo=UTC)
    assert parse_day_month("Jan 13", reference=reference) == datetime(2024, 1, 13, tzinfo=UTC)
    assert parse_day_month("Jan 9", reference=reference) == datetime(2025, 1, 9, tzinfo=UTC)
    assert parse_day_month("Dec.  03, 2019", reference=reference) == datetime(2019, 12, 3, tzinfo=UTC)
    assert parse_day_month("26 mai 2020", reference=reference) == datetime(2020, 5, 26, tzinfo=UTC)


@settings(max_examples=200, deadline=None)
@given(st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)),
       st.integers(1, 12), st.integers(1, 28))
def test_dateline_dates_are_never_after_the_reference(reference, month, day):
    name = ["Jan", "Feb", "March", "April", "May", "June", "July", "Aug", "Sept", "Oct", "Nov", "Dec"][month - 1]
    found = parse_day_month(f"{name} {day}", reference=reference, zone=IST)
    assert found is not None and found.tzinfo is not None
    assert found <= reference + timedelta(days=1)
    assert reference - found < timedelta(days=367)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_parse_date_never_raises_and_is_aware(text):
    found = parse_date(text)
    assert found is None or found.utcoffset() == timedelta(0)


def test_a_zone_abbreviation_no_one_can_read_is_the_pages_zone_without_a_warning():
    cairo = timezone(timedelta(hours=2))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert parse_date("16 Apr 2025 10:00 GY", zone=cairo) == datetime(2025, 4, 16, 10, tzinfo=cairo)
        assert parse_date("16 Apr 2025 10:00 EDT", zone=cairo) == datetime(2025, 4, 16, 14, tzinfo=timezone.utc)
