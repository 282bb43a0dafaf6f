import pytest

@pytest.mark.parametrize("i", range(10))
def test_spike(client, make_token, i):
    t = make_token("admin")
    r = client.post("/api/v1/units", json={"name": "Tỉnh A", "level": "province"}, headers={"Authorization": f"Bearer {t}"})
    assert r.status_code == 201, r.json
    r2 = client.get(f"/api/v1/units/{r.json['id']}?min_position={r.json['position']}", headers={"Authorization": f"Bearer {t}"})
    assert r2.status_code == 200, r2.json
