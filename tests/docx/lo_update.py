#!/usr/bin/python3
"""Open a Word document in LibreOffice, update its indexes and fields, export PDF.

usage: lo_update.py SOFFICE DOCX PDF PROFILE_DIR

Starts SOFFICE headless with a private user profile (PROFILE_DIR, so that
tests running at once do not share one) listening on a pipe of its own,
loads DOCX hidden through UNO (python3-uno), updates every document index
(doc.getDocumentIndexes(): the table of contents is one) and every field,
then the indexes once more (the fields can move text to another page),
and stores the document as PDF. Prints one line per index: its service
and title. Exits 0 when the PDF is written, 1 with the reason when not.
soffice runs in a process group of its own (soffice.bin is a child of
the soffice launcher), which is ended whatever happens.
"""
import os
import signal
import subprocess
import sys
import threading
import time

import uno
from com.sun.star.beans import PropertyValue
from com.sun.star.connection import NoConnectException

CONNECT_SECONDS = 60
# Past this, soffice is killed, however far it got: a test's limit is 300.
WATCHDOG_SECONDS = 240


def prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def connect(pipe, proc):
    """The remote component context, once soffice accepts on the pipe."""
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local)
    deadline = time.monotonic() + CONNECT_SECONDS
    while True:
        try:
            return resolver.resolve(
                "uno:pipe,name=%s;urp;StarOffice.ComponentContext" % pipe)
        except NoConnectException:
            if os.waitid(os.P_PID, proc.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT):
                sys.exit("lo_update.py: soffice exited before it listened")
            if time.monotonic() > deadline:
                sys.exit("lo_update.py: soffice did not listen on pipe %s in %ds" %
                         (pipe, CONNECT_SECONDS))
            time.sleep(0.2)


def update(desktop, docx, pdf):
    doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(os.path.abspath(docx)),
                                       "_blank", 0, (prop("Hidden", True),))
    if doc is None:
        return "LibreOffice could not load %s" % docx
    try:
        indexes = doc.getDocumentIndexes()
        for i in range(indexes.getCount()):
            index = indexes.getByIndex(i)
            index.update()
            print("index %d: %s %r" % (i, index.getServiceName(), index.Title))
        doc.getTextFields().refresh()
        doc.refresh()
        for i in range(indexes.getCount()):
            indexes.getByIndex(i).update()
        doc.storeToURL(uno.systemPathToFileUrl(os.path.abspath(pdf)),
                       (prop("FilterName", "writer_pdf_Export"),))
    finally:
        doc.close(True)
    return None


def exited(proc, seconds):
    """Whether proc exits within seconds; it is left unreaped (a zombie
    keeps its pid, and so its process group's id, from reuse)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if os.waitid(os.P_PID, proc.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT):
            return True
        time.sleep(0.1)
    return False


def kill_group(pid):
    try:
        os.killpg(pid, signal.SIGKILL)
    except ProcessLookupError:  # all gone already
        pass


def end_group(proc):
    """Kill what is left of the process group proc leads (soffice.bin,
    a child of the soffice launcher), then reap proc."""
    kill_group(proc.pid)
    proc.wait()


def main(argv):
    if len(argv) != 5:
        sys.exit(__doc__)
    soffice, docx, pdf, profile = argv[1:]
    pipe = "skillc-docx-%d" % os.getpid()
    proc = subprocess.Popen(
        [soffice, "-env:UserInstallation=" + uno.systemPathToFileUrl(os.path.abspath(profile)),
         "--headless", "--invisible", "--nologo", "--norestore", "--nodefault",
         "--nolockcheck", "--accept=pipe,name=%s;urp;" % pipe],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True)
    error = None
    # A UNO call that hangs is not interrupted by a signal: the watchdog
    # kills soffice, and the call fails. proc is reaped only after it is
    # cancelled, so the group's id is still soffice's when it fires.
    watchdog = threading.Timer(WATCHDOG_SECONDS, kill_group, (proc.pid,))
    watchdog.start()
    try:
        ctx = connect(pipe, proc)
        desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        try:
            error = update(desktop, docx, pdf)
        finally:
            try:
                desktop.terminate()
            except Exception:  # the bridge goes down with soffice: expected
                pass
        if not exited(proc, 60):
            print("lo_update.py: soffice did not exit in 60 s; killed", file=sys.stderr)
    finally:
        watchdog.cancel()
        watchdog.join()
        end_group(proc)
    if error:
        sys.exit("lo_update.py: " + error)
    if not os.path.isfile(pdf):
        sys.exit("lo_update.py: no PDF written")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
