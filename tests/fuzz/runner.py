"""Runs cases in worker subprocesses, so a crash or a hang costs one process.

A batch of cases goes to one ``python -m tests.fuzz.worker``; the worker
logs "start" and "done" per case to a file as it goes. If the process dies
(a signal, an abort) or stops making progress for ``timeout`` seconds, the
case it had started is the suspect: it is re-run alone in a fresh process
to confirm (or, if it passes alone, the earlier cases of the batch are re-run
one by one to find the one that breaks the process), and the rest of the
batch continues in a new worker.
"""
import concurrent.futures
import json
import os
import pathlib
import pickle
import select
import signal
import struct
import subprocess
import sys
import tempfile
import time

REPO = pathlib.Path(__file__).resolve().parents[2]
POLL_S = 0.05


def _read_log(path):
    started, done = None, {}
    if os.path.exists(path):
        with open(path) as f:
            for line in f:
                if not line.endswith("\n"):
                    break   # being written
                record = json.loads(line)
                if record["event"] == "start":
                    started = record["position"]
                else:
                    done[record["position"]] = {k: v for k, v in record.items() if k not in ("event", "position")}
    return started, done


def _environment():
    return dict(os.environ, PYTHONPATH=str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""),
                PYTHONFAULTHANDLER="1")


def _spawn(cases, timeout):
    """Runs ``cases`` in one worker: (verdicts by position, position of the
    case in flight when it stopped or None, how it stopped, stderr tail)."""
    with tempfile.TemporaryDirectory(prefix="numjit-fuzz-run-") as tmp:
        cases_path, log_path, err_path = (os.path.join(tmp, n) for n in ("cases.pkl", "log.jsonl", "stderr.txt"))
        with open(cases_path, "wb") as f:
            pickle.dump(cases, f)
        env = _environment()
        with open(err_path, "wb") as err:
            process = subprocess.Popen([sys.executable, "-m", "tests.fuzz.worker", cases_path, log_path],
                                       cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=err,
                                       start_new_session=True)
            last_progress, last_seen, how = time.monotonic(), None, None
            while process.poll() is None:
                time.sleep(POLL_S)
                started, done = _read_log(log_path)
                seen = (started, len(done))
                if seen != last_seen:
                    last_seen, last_progress = seen, time.monotonic()
                elif time.monotonic() - last_progress > timeout:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait()
                    how = "timeout"
            started, done = _read_log(log_path)
        with open(err_path, errors="replace") as f:
            tail = f.read()[-3000:]
    if how is None and process.returncode != 0:
        how = f"exit status {process.returncode}" if process.returncode > 0 else \
            f"signal {signal.Signals(-process.returncode).name}"
    in_flight = started if started is not None and started not in done else None
    return done, in_flight, how, tail


def _alone_crashes(case, timeout):
    done, in_flight, how, tail = _spawn([case], timeout)
    return (how, tail) if in_flight is not None else None


def run_batch(cases, timeout=60.0):
    """A verdict dict per case, in order (see worker.judge), crashes included."""
    verdicts = [None] * len(cases)
    pending = list(range(len(cases)))
    while pending:
        done, in_flight, how, tail = _spawn([cases[i] for i in pending], timeout)
        for position, verdict in done.items():
            verdicts[pending[position]] = verdict
        undone = [i for i in pending if verdicts[i] is None]
        last = verdicts[pending[max(done)]] if done else None
        if in_flight is None and undone and last and last["category"] == "skipped-out-of-bounds":
            pending = undone  # the worker stopped after an out-of-bounds write: a fresh one goes on
            continue
        if in_flight is None:
            for i in pending:
                if verdicts[i] is None:
                    verdicts[i] = {"category": "harness-error", "leak": 0,
                                   "detail": f"worker stopped ({how}) before this case:\n{tail}"}
            break
        suspect = pending[in_flight]
        if how == "timeout":
            verdicts[suspect] = {"category": "timeout", "leak": 0,
                                 "detail": f"no verdict within {timeout:g} s"}
        else:
            verdicts[suspect] = _confirm_crash(cases, pending[:in_flight], suspect, how, tail, timeout)
        pending = pending[in_flight + 1:]
    return verdicts


def _confirm_crash(cases, earlier, suspect, how, tail, timeout):
    alone = _alone_crashes(cases[suspect], timeout)
    if alone is not None:
        return {"category": "crash", "leak": 0, "detail": f"worker died ({alone[0]}):\n{alone[1]}"}
    for i in earlier:
        culprit = _alone_crashes(cases[i], timeout)
        if culprit is not None:
            return {"category": "crash", "leak": 0, "culprit": cases[i].name,
                    "detail": f"worker died ({how}) here, but the case that crashes alone is "
                              f"{cases[i].name}:\n{culprit[1]}"}
    return {"category": "crash", "leak": 0, "flaky": True,
            "detail": f"worker died ({how}) in this case, only after the cases before it in its batch:\n{tail}"}


def run_many(cases, workers=2, batch_size=50, timeout=60.0, progress=None):
    """Verdicts for all cases, batches spread over ``workers`` processes."""
    batches = [cases[i:i + batch_size] for i in range(0, len(cases), batch_size)]
    verdicts = [None] * len(cases)
    with concurrent.futures.ThreadPoolExecutor(max_workers=workers) as pool:
        futures = {pool.submit(run_batch, batch, timeout): k for k, batch in enumerate(batches)}
        for future in concurrent.futures.as_completed(futures):
            k = futures[future]
            verdicts[k * batch_size:k * batch_size + len(batches[k])] = future.result()
            if progress:
                progress(sum(v is not None for v in verdicts), len(cases))
    return verdicts


class Server:
    """One long-lived worker judging cases one at a time, for the shrinker,
    which tries candidates in order and stops at the first that still fails:
    no process start per candidate, no work after the answer is known. A
    candidate that kills or hangs the worker gets "crash" or "timeout", and
    the next one gets a fresh worker."""

    def __init__(self, timeout=30.0):
        self.timeout, self.process = timeout, None

    def _start(self):
        self.process = subprocess.Popen([sys.executable, "-m", "tests.fuzz.worker", "--serve"], cwd=REPO,
                                        env=_environment(), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.DEVNULL, start_new_session=True)

    def judge(self, case):
        if self.process is None or self.process.poll() is not None:
            self._start()
        data = pickle.dumps(case)
        try:
            self.process.stdin.write(struct.pack("<Q", len(data)) + data)
            self.process.stdin.flush()
        except BrokenPipeError:
            pass
        ready, _, _ = select.select([self.process.stdout], [], [], self.timeout)
        line = self.process.stdout.readline() if ready else b""
        if line:
            return json.loads(line)
        how = "timeout" if not ready else "crash"
        self.close()
        return {"category": how, "leak": 0, "detail": f"worker {'hung' if not ready else 'died'} on this case"}

    def close(self):
        if self.process is not None:
            if self.process.poll() is None:
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
            for stream in (self.process.stdin, self.process.stdout):
                stream.close()
            self.process = None
