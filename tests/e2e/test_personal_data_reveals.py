"""An officer's look at a person's ID number and contacts is theirs to know (PIPL art. 45): the
person's data export lists each reveal with who made it, their unit, when and why."""

from __future__ import annotations


def test_the_person_sees_in_their_export_who_revealed_their_contacts_and_why(api):
    youth = api.youth()
    officer = api.staff("officer", unit="housing")
    purpose = {"reason": "核对公租房申请人的身份信息", "reference": "application-9"}
    assert officer.post(f"/api/v1/people/{youth.id}/reveal", json=purpose).status_code == 200

    export = youth.get("/api/v1/me/data")
    assert export.status_code == 200, export.text
    [read] = export.json()["parts"]["gateway"]["personal_data_revealed"]
    assert (read["officer_id"], read["unit"], read["reason"], read["reference"]) == (
        officer.id,
        "housing",
        purpose["reason"],
        "application-9",
    )
    assert read["at"]
