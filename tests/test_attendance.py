"""Attendance per member and municipal year, computed from meeting records (generator/attendance.py)."""

import datetime as dt

from generator.attendance import MemberAttendance, attendance_by_year, member_key, municipal_year
from generator.models.meeting import Meeting


def meeting(day: str, status: str = "held", **fields) -> Meeting:
    return Meeting.model_validate({"date": day, "status": status, "source": {"doc": "x"}, **fields})


def test_municipal_year_runs_from_may_to_april():
    assert municipal_year(dt.date(2022, 5, 1)) == "2022/23"
    assert municipal_year(dt.date(2023, 4, 30)) == "2022/23"
    assert municipal_year(dt.date(2023, 5, 1)) == "2023/24"
    assert municipal_year(dt.date(1999, 12, 31)) == "1999/00"


def test_member_key_drops_roles_and_brackets():
    assert member_key("Councillor A. Smith (Chair)") == "Councillor A. Smith"
    assert member_key("Councillor A. Smith, cabinet member for children") == "Councillor A. Smith"
    assert member_key("  Councillor   A. Smith ") == "Councillor A. Smith"


def test_expected_attended_apologies_and_percentage():
    members = ["Councillor A (Chair)", "Councillor B, vice-chair", "Councillor C"]
    meetings = [
        meeting(
            "2022-06-01",
            membership=members,
            present=["Councillor A (in the chair)", "Councillor C"],
            apologies=["Councillor B", "An officer"],
        ),
        meeting("2022-09-01", membership=members, present=["Councillor A", "Councillor B"]),
        meeting("2022-12-01", membership=members, present=["Councillor A"], apologies=["Councillor C"]),
        meeting("2023-02-01", membership=members),  # no record of who came: not counted
        meeting("2023-03-01", status="cancelled", membership=members),
        meeting("2023-06-01", membership=members, present=["Councillor B"]),
    ]
    years = attendance_by_year(meetings)
    assert [y.year for y in years] == ["2023/24", "2022/23"]
    later, earlier = years
    assert [m.date.isoformat() for m in earlier.meetings] == ["2022-06-01", "2022-09-01", "2022-12-01"]
    assert [m.date.isoformat() for m in earlier.not_counted] == ["2023-02-01"]
    rows = {row.member: row for row in earlier.members}
    assert list(rows) == ["Councillor A", "Councillor B", "Councillor C"]
    assert rows["Councillor A"] == MemberAttendance("Councillor A", 3, 3, 0)
    assert rows["Councillor B"] == MemberAttendance("Councillor B", 3, 1, 1)
    assert rows["Councillor C"] == MemberAttendance("Councillor C", 3, 1, 1)
    assert (rows["Councillor A"].percent, rows["Councillor B"].percent, rows["Councillor B"].absent) == (100, 33, 1)
    assert "An officer" not in rows, "apologies from non-members are not counted"
    assert [(r.member, r.expected, r.attended) for r in later.members] == [
        ("Councillor A", 1, 0),
        ("Councillor B", 1, 1),
        ("Councillor C", 1, 0),
    ]


def test_percentage_rounds_half_up_and_is_zero_with_nothing_expected():
    assert MemberAttendance("X", 8, 5, 0).percent == 63  # 62.5
    assert MemberAttendance("X", 3, 2, 0).percent == 67
    assert MemberAttendance("X", 0, 0, 0).percent == 0


def test_a_member_listed_twice_counts_once_per_meeting():
    years = attendance_by_year(
        [meeting("2022-06-01", membership=["Councillor A", "Councillor A (Chair)"], present=["Councillor A"])]
    )
    assert years[0].members == (MemberAttendance("Councillor A", 1, 1, 0),)
