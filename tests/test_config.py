import pytest

from citegraph.config import SETTINGS_HELP, ConfigError, Settings, load_settings


def test_every_setting_has_help():
    assert set(SETTINGS_HELP) == set(Settings.__slots__)


def test_precedence(tmp_path):
    cfg = tmp_path / "citegraph.toml"
    cfg.write_text('min_weight = 2\nplatforms = true\noutput_dir = "from-file"\n')
    env = {"CITEGRAPH_MIN_WEIGHT": "3"}
    s = load_settings({"output_dir": None}, config_file=cfg, environ=env)
    assert (s.min_weight, s.platforms, s.output_dir) == (3, True, "from-file")
    s = load_settings({"min_weight": 5, "kinds": ()}, config_file=cfg, environ=env)
    assert s.min_weight == 5
    assert s.kinds == ("link", "mention", "syndication")  # an empty repeatable flag means "not given"


def test_env_lists_and_bools(tmp_path):
    s = load_settings({}, config_file=tmp_path / "none.toml",
                      environ={"CITEGRAPH_KINDS": "link, mention", "CITEGRAPH_SELF_CITATIONS": "yes"})
    assert s.kinds == ("link", "mention") and s.self_citations is True


@pytest.mark.parametrize("text,message", [
    ("min_weight = 'many'", "min_weight"),
    ("colour = 'red'", "unknown setting"),
    ("min_weight = ", "not valid TOML"),
])
def test_bad_config_file(tmp_path, text, message):
    cfg = tmp_path / "citegraph.toml"
    cfg.write_text(text)
    with pytest.raises(ConfigError, match=message):
        load_settings({}, config_file=cfg, environ={})


def test_bad_env():
    with pytest.raises(ConfigError, match="self_citations"):
        load_settings({}, config_file="/nonexistent.toml", environ={"CITEGRAPH_SELF_CITATIONS": "maybe"})


def test_db_path_default():
    assert str(load_settings({"output_dir": "out"}, config_file="/none.toml", environ={}).db_path()) == "out/citegraph.db"
