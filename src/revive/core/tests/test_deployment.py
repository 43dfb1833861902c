"""docs/deployment.md and the files it installs (deploy/) are the same text, and scripts/run_unit.py
(which runs those units where systemd is not PID 1) reads them as systemd does."""

import importlib.util
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[4]
GUIDE = (ROOT / "docs" / "deployment.md").read_text(encoding="utf-8")
DEPLOY = sorted(p for p in (ROOT / "deploy").rglob("*") if p.is_file())


def _run_unit():
    spec = importlib.util.spec_from_file_location("run_unit", ROOT / "scripts" / "run_unit.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_file_the_guide_installs_is_shown_in_it_exactly():
    blocks = re.findall(r"```[a-z]*\n(.*?)```", GUIDE, re.S)
    names = {p.relative_to(ROOT).as_posix() for p in DEPLOY}
    assert names == {
        "deploy/revive-manage",
        "deploy/nginx/revive",
        "deploy/systemd/revive.service",
        "deploy/systemd/revive-worker.service",
        "deploy/systemd/revive-backup.service",
        "deploy/systemd/revive-backup.timer",
    }
    for path in DEPLOY:
        name = path.relative_to(ROOT).as_posix()
        assert f"`{name}`" in GUIDE, name
        assert path.read_text(encoding="utf-8") in blocks, f"{name} differs from the guide's block"


def test_the_deploy_check_installs_the_repository_files_not_copies():
    script = (ROOT / "scripts" / "deploy_check.sh").read_text(encoding="utf-8")
    for name in ("deploy/systemd/", "deploy/nginx/revive", "deploy/revive-manage", "scripts/run_unit.py"):
        assert name in script
    assert "[Service]" not in script and "proxy_pass" not in script  # no unit or site written by hand


def test_run_unit_reads_the_units_as_systemd_does():
    run_unit = _run_unit()
    web = run_unit.read_unit(str(ROOT / "deploy/systemd/revive.service"))["Service"]
    words, ignore = run_unit.command_line(web["ExecStart"][-1])
    assert words[:2] == ["/srv/revive/app/.venv/bin/gunicorn", "config.wsgi:application"] and not ignore
    assert "--max-requests-jitter" in words and words[-2:] == ["--error-logfile", "-"]  # continuation lines
    backup = run_unit.read_unit(str(ROOT / "deploy/systemd/revive-backup.service"))["Service"]
    words, _ = run_unit.command_line(backup["ExecStart"][-1])
    assert words[:2] == ["/bin/sh", "-c"] and "revive-$(date +%Y%m%d).dump" in words[2]  # %% is %
    assert backup["UMask"] == ["0077"] and backup["User"] == ["revive"] and len(backup["ExecStartPost"]) == 1


def test_run_unit_reads_an_environment_file_as_systemd_does(tmp_path):
    env = tmp_path / "revive.env"
    env.write_text('# comment\nREVIVE_A=1\nREVIVE_B="two words"\n\n; other comment\nREVIVE_C=x=y\n')
    assert _run_unit().read_environment_file(str(env)) == {
        "REVIVE_A": "1",
        "REVIVE_B": "two words",
        "REVIVE_C": "x=y",
    }


def test_nginx_lets_an_import_reach_the_page_and_keeps_the_port():
    """The guide's nginx allowed 30 MB while imports take 50 MB (nginx's bare 413 instead of the page's
    message), and `Host $host` dropped the port, so every form failed CSRF on a port other than 443."""
    from revive.imports.reading import MAX_BYTES

    site = (ROOT / "deploy" / "nginx" / "revive").read_text(encoding="utf-8")
    limit = re.search(r"client_max_body_size (\d+)m;", site)
    assert limit and int(limit[1]) * 1024 * 1024 > MAX_BYTES
    assert re.search(r"proxy_set_header Host \$http_host;", site)
    assert re.search(r"proxy_set_header X-Forwarded-Proto \$scheme;", site)


def test_gunicorn_is_a_pinned_dependency():
    import tomllib

    dependencies = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"][
        "dependencies"
    ]
    assert [d for d in dependencies if re.fullmatch(r"gunicorn==[0-9.]+", d.split(";")[0].strip())]
