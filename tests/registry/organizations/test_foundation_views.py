def test_department_only_sections(client, world, login):
    login(world.member_a.email)
    html = client.get("/organizations").get_data(as_text=True)
    assert world.org_a.name in html and world.org_b.name not in html
    assert 'name="tax_code"' not in html
