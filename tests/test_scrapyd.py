"""Scheduled crawls under a real Scrapyd: build the project egg, deploy it, schedule, read the export.

Scrapyd runs as users run it (its own working directory, its own config file, bound to
127.0.0.1) with the Blogger emulator as the HTTP(S) proxy of every job it launches. The egg is
built by ``scrapyd-deploy --build-egg`` from a copy of the project, because building writes
``setup.py``'s build/ and egg-info directories next to it.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from tests.conftest import FAST_SETTINGS, ROOT, checked
from tests.test_crawl import HAND_POSTS, blog

BIN = Path(sys.executable).parent
JOB_WAIT = 90.0
START_WAIT = 20.0
GENERATED_POSTS = 30
PROJECT = "newscrawl"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def tail(path: Path, chars: int = 4000) -> str:
    return path.read_text(encoding="utf-8", errors="replace")[-chars:] if path.exists() else f"({path} missing)"


@dataclass
class Scrapyd:
    """A running scrapyd and where it keeps its logs."""

    url: str
    process: subprocess.Popen
    output: Path
    logs_dir: Path
    http: requests.Session

    def get(self, endpoint: str, **params: str) -> dict:
        response = self.http.get(self.url + endpoint, params=params, timeout=10)
        response.raise_for_status()
        return response.json()

    def post(self, endpoint: str, data: dict, **kwargs) -> dict:
        response = self.http.post(self.url + endpoint, data=data, timeout=30, **kwargs)
        response.raise_for_status()
        answer = response.json()
        assert answer.get("status") == "ok", (endpoint, answer, tail(self.output))
        return answer

    def job_log(self, job: str) -> Path:
        return self.logs_dir / PROJECT / "blogspot" / f"{job}.log"


def start_scrapyd(home: Path, proxy: str) -> Scrapyd:
    """Start scrapyd in ``home`` with a config of its own; wait until its API answers."""
    home.mkdir()
    port = free_port()
    (home / "scrapyd.conf").write_text(
        "[scrapyd]\n"
        "bind_address = 127.0.0.1\n"
        f"http_port = {port}\n"
        f"eggs_dir = {home / 'eggs'}\n"
        f"logs_dir = {home / 'logs'}\n"
        f"dbs_dir = {home / 'dbs'}\n"
        "items_dir =\n"
        "max_proc = 1\n"
        "poll_interval = 0.5\n",
        encoding="utf-8",
    )
    env = {k: v for k, v in os.environ.items()
           if k.lower() not in ("http_proxy", "https_proxy", "no_proxy") and k != "PYTHONPATH"}
    # Jobs inherit scrapyd's environment: they reach the blogs through the emulator, and find
    # the project only in the deployed egg. HOME keeps a user's ~/.scrapyd.conf out.
    env.update(http_proxy=proxy, https_proxy=proxy, HOME=str(home))
    output = home / "scrapyd.out"
    with output.open("wb") as sink:
        process = subprocess.Popen([str(BIN / "scrapyd")], cwd=home, env=env, stdout=sink, stderr=subprocess.STDOUT)
    http = requests.Session()
    http.trust_env = False  # the test's own proxy variables must not apply to 127.0.0.1
    scrapyd = Scrapyd(f"http://127.0.0.1:{port}/", process, output, home / "logs", http)
    deadline = time.monotonic() + START_WAIT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"scrapyd exited with {process.returncode}:\n{tail(output)}")
        try:
            if scrapyd.get("daemonstatus.json")["status"] == "ok":
                return scrapyd
        except requests.ConnectionError:
            time.sleep(0.2)
    stop(scrapyd)
    pytest.fail(f"scrapyd did not answer within {START_WAIT:.0f} s:\n{tail(output)}")


def stop(scrapyd: Scrapyd) -> None:
    scrapyd.http.close()
    scrapyd.process.terminate()
    try:
        scrapyd.process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        scrapyd.process.kill()
        scrapyd.process.wait(timeout=5)


@pytest.fixture
def scrapyd_factory(tmp_path):
    started: list[Scrapyd] = []

    def start(proxy: str) -> Scrapyd:
        scrapyd = start_scrapyd(tmp_path / "scrapyd", proxy)
        started.append(scrapyd)
        return scrapyd

    yield start
    for scrapyd in started:
        stop(scrapyd)


def _not_source(directory: str, names: list[str]) -> set[str]:
    """What a copy of the project for building leaves out: hidden and build output, and at the
    top the run output (exports/, state/; newscrawl/state/ is source)."""
    left_out = {n for n in names if n.startswith(".") or n in ("__pycache__", "build") or n.endswith(".egg-info")}
    if Path(directory) == ROOT:
        left_out |= {"exports", "state"} & set(names)
    return left_out


def build_egg(workdir: Path) -> Path:
    """``scrapyd-deploy --build-egg`` on a copy of the project; return the egg."""
    project = workdir / "project"
    shutil.copytree(ROOT, project, ignore=_not_source)
    egg = workdir / "newscrawl.egg"
    done = subprocess.run([str(BIN / "scrapyd-deploy"), "--build-egg", str(egg)],
                          check=False, cwd=project, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and egg.is_file(), done.stderr + done.stdout
    return egg


def deploy(scrapyd: Scrapyd, egg: Path) -> None:
    """Upload the egg with addversion.json, as ``scrapyd-deploy`` does."""
    with egg.open("rb") as upload:
        added = scrapyd.post("addversion.json", {"project": PROJECT, "version": "1"},
                             files={"egg": ("newscrawl.egg", upload)})
    assert added["spiders"] == 1, added


def schedule(scrapyd: Scrapyd, workdir: Path, **arguments: str) -> str:
    """Schedule ``blogspot`` with test settings and exports under ``workdir``; return the job id."""
    settings = {**FAST_SETTINGS, "NEWSCRAWL_EXPORT_DIR": str(workdir / "exports"),
                "NEWSCRAWL_STATE_PATH": str(workdir / "state.sqlite3")}
    return scrapyd.post("schedule.json", {
        "project": PROJECT,
        "spider": "blogspot",
        **arguments,
        "setting": [f"{name}={value}" for name, value in settings.items()],
    })["jobid"]


def wait_until_finished(scrapyd: Scrapyd, job: str) -> str:
    """Poll listjobs.json until ``job`` is finished; return scrapyd's output about it."""
    deadline = time.monotonic() + JOB_WAIT
    while job not in {j["id"] for j in scrapyd.get("listjobs.json", project=PROJECT)["finished"]}:
        if time.monotonic() > deadline:
            pytest.fail(f"job {job} not finished after {JOB_WAIT:.0f} s; its log:\n"
                        f"{tail(scrapyd.job_log(job))}\nscrapyd:\n{tail(scrapyd.output)}")
        time.sleep(0.5)
    return scrapyd.output.read_text(encoding="utf-8", errors="replace")


def test_scrapyd_runs_a_scheduled_crawl_from_the_deployed_egg(tmp_path, mirror_factory, scrapyd_factory):
    host = "kabar-test.blogspot.com"
    mirror = mirror_factory({"blogs": [blog(host, generate={"count": GENERATED_POSTS, "seed": 11, "language": "id"})]})
    expected = len(HAND_POSTS) + GENERATED_POSTS
    egg = build_egg(tmp_path)
    names = set(zipfile.ZipFile(egg).namelist())
    sources = {path.relative_to(ROOT).as_posix() for path in (ROOT / "newscrawl").rglob("*.py")}
    assert "newscrawl/commands/crawl.py" in sources
    assert sources | {"newscrawl/demo/blogs.json"} <= names, sorted(sources - names)
    assert not [name for name in names if name.startswith(("tests/", "bench/"))]
    scrapyd = scrapyd_factory(mirror.proxy)
    deploy(scrapyd, egg)
    assert scrapyd.get("listspiders.json", project=PROJECT)["spiders"] == ["blogspot"]

    job = schedule(scrapyd, tmp_path, site=f"https://{host}")
    scrapyd_log = wait_until_finished(scrapyd, job)

    job_log = scrapyd.job_log(job)
    assert f"Process finished: project='{PROJECT}' spider='blogspot' job='{job}'" in scrapyd_log, (
        f"the job did not exit cleanly; its log:\n{tail(job_log)}\nscrapyd:\n{tail(scrapyd.output)}")
    files = sorted((tmp_path / "exports" / "blogspot").glob("*"))
    # The run's export and its per-site report, nothing else (no .part left behind).
    assert [f.name.endswith(".jsonl") for f in files] == [True, False], (files, tail(job_log))
    assert files[1].name == files[0].stem + ".sites.json"
    records = checked([json.loads(line) for line in files[0].read_text(encoding="utf-8").splitlines()])
    assert len(records) == expected, tail(job_log)
    assert len({record["post_id"] for record in records}) == expected
    assert {p["post_id"] for p in HAND_POSTS} <= {record["post_id"] for record in records}
    assert {record["site"] for record in records} == {host}
    assert f"{host}: posts={expected} " in job_log.read_text(encoding="utf-8")
    # Scrapyd's jobs run in Scrapyd's directory: the absolute settings decided where files went.
    assert (tmp_path / "state.sqlite3").is_file()
    assert not {"exports", "state"} & {p.name for p in (tmp_path / "scrapyd").iterdir()}


def test_scrapyd_job_with_a_wrong_argument_stops_before_any_request(tmp_path, mirror_factory, scrapyd_factory):
    # The argument check lives in the project's own `crawl` command (newscrawl/commands): this
    # shows Scrapyd's runner found the commands module in the egg and used it.
    host = "kabar-test.blogspot.com"
    mirror = mirror_factory({"blogs": [blog(host)]})
    scrapyd = scrapyd_factory(mirror.proxy)
    deploy(scrapyd, build_egg(tmp_path))

    job = schedule(scrapyd, tmp_path, site=f"https://{host}", since="last tuesday-ish")
    scrapyd_log = wait_until_finished(scrapyd, job)

    assert f"Process died: exitstatus=2 project='{PROJECT}' spider='blogspot' job='{job}'" in scrapyd_log, scrapyd_log
    # The job's stderr (the usage error) is in Scrapyd's own output, not in the job log.
    assert "error: since=" in scrapyd_log, scrapyd_log
    assert mirror.requests() == []
    assert not (tmp_path / "exports").exists()
