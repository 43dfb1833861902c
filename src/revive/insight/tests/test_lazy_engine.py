import os
import subprocess
import sys

CHECK = (
    "import sys, django; django.setup(); import config.urls; "
    "print(','.join(m for m in ('pandas', 'scipy', 'sklearn') if m in sys.modules))"
)


def test_the_urlconf_does_not_load_the_model_engine():
    """Every command that builds a link loads the URLconf; the engine's libraries (~2 s) wait for a model."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"}
    env.setdefault("REVIVE_SECRET_KEY", "x" * 50)
    out = subprocess.run([sys.executable, "-c", CHECK], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
