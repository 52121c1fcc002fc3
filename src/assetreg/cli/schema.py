"""The ``schema`` command: the JSON Schema of a payload type, for a service's clients."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from assetreg.cli.app import Lang, LangOption, app, run
from assetreg.cli.render import table

__all__ = ["schema"]


@app.command("schema", short_help="报文结构 The JSON Schema of a payload type.")
def schema(
    name: Annotated[
        str | None, typer.Argument(help="报文类型，如 asset、event。 A payload type (asset, event…); none lists them.")
    ] = None,
    envelope: Annotated[
        bool,
        typer.Option("--envelope", help="描述带版本的信封。 Describe the versioned envelope, not the bare data."),
    ] = False,
    lang: LangOption = Lang.ZH,
) -> None:
    """报文结构。 Print the JSON Schema (draft 2020-12) of payload type NAME, or list the types.

    The schema is generated from the serde schemas that load the payloads
    (assetreg.adapters.serde.json_schema). Exit 0; 2 for an unknown NAME.

    Example: assetreg schema revenue_entry > revenue_entry.schema.json
    """

    def body() -> None:
        from assetreg.adapters.serde import json_schema, payload_types  # noqa: PLC0415

        if name is None:
            zh = lang is Lang.ZH
            rows = [
                {("类型" if zh else "name"): n, ("说明" if zh else "description"): t.description}
                for n, t in payload_types().items()
            ]
            table(rows, title="报文类型" if zh else "Payload types")
            return
        typer.echo(json.dumps(json_schema(name, envelope=envelope), ensure_ascii=False, indent=2))

    run(body, lang)
