"""/_control/*: the HTTP face of the Python API, for the demo and other processes.

    GET    /_control/log       {"requests": [...]}      DELETE /_control/log  clears it
    GET    /_control/faults    {"faults": [...]}        DELETE /_control/faults clears them
    POST   /_control/faults    {"route": "esearch", "kind": "429", "times": 1, "after": 0,
                                "retry_after": 2}   (or a list of such objects)
    GET    /_control/today     {"today": "2026-11-16"}
    POST   /_control/today     {"today": "2026-11-16"}  (null: follow the real date)
Control requests are not logged: the log is what the client under test did.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from testkit.emulator.wire import JSON, Response

if TYPE_CHECKING:
    from testkit.emulator.server import Emulator


def _json(status: int, data: Any) -> Response:
    return Response(status, json.dumps(data).encode(), JSON)


def control(emulator: Emulator, method: str, path: str, body: bytes) -> Response:
    try:
        data = json.loads(body) if body.strip() else None
    except ValueError:
        return _json(400, {"message": "body is not JSON"})
    name = path.removeprefix("/_control/").strip("/")
    try:
        if name == "log":
            if method == "DELETE":
                emulator.clear_log()
            return _json(200, {"requests": [r.to_dict() for r in emulator.requests]})
        if name == "faults":
            if method == "DELETE":
                emulator.clear_faults()
            elif method == "POST":
                for spec in data if isinstance(data, list) else [data or {}]:
                    spec = dict(spec)
                    emulator.inject(spec.pop("route"), spec.pop("kind"),
                                    spec.pop("times", 1), spec.pop("after", 0), **spec)
            return _json(200, {"faults": emulator.faults()})
        if name == "today":
            if method == "POST":
                emulator.set_today((data or {}).get("today"))
            return _json(200, {"today": emulator.today.isoformat()})
    except (KeyError, TypeError, ValueError) as exc:
        return _json(400, {"message": f"bad control request: {exc!r}"})
    return _json(404, {"message": f"no control endpoint {path}"})
