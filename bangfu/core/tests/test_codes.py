from bangfu.core.codes import prefix_upper_bound


def test_upper_bounds():
    assert prefix_upper_bound("370215010") == "370215011"
    assert prefix_upper_bound("3799") == "38"
    assert prefix_upper_bound("999") is None
    assert prefix_upper_bound("pz") == "q"
    assert prefix_upper_bound("pzb") == "pzc"


def test_every_code_with_the_prefix_is_inside_and_nothing_else():
    prefix = "370219"
    upper = prefix_upper_bound(prefix)
    for code in ["370219", "370219001", "370219999999"]:
        assert prefix <= code < upper
    for code in ["370218999", "37022", "370220000"]:
        assert not (prefix <= code < upper)
