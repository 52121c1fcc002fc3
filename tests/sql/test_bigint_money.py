"""Amounts beyond a BIGINT of fen are refused before the database sees them, naming the record."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from assetreg.adapters.sql import SqlUnitOfWork, create_engine_for, upgrade
from assetreg.domain.assets import Asset, AssetId
from assetreg.domain.codes import AdminCode
from assetreg.domain.events import AssetRegistered
from assetreg.domain.money import Money
from assetreg.domain.register import AssetRegister
from assetreg.domain.vocab import AssetClass
from assetreg.errors import PersistenceError


def _register(fen: int) -> AssetRegister:
    asset = Asset(
        id=AssetId("BIG-1"),
        name="超大金额",
        asset_class=AssetClass.PUBLIC_WELFARE,
        location=AdminCode("620422"),
        original_value=Money(fen),
    )
    event = AssetRegistered(
        asset_id=asset.id,
        effective=date(2024, 1, 1),
        recorded_at=datetime(2024, 1, 1, tzinfo=UTC),
        asset=asset,
        event_id="big-1",
    )
    return AssetRegister.of(events=[event])


def test_largest_bigint_amount_is_stored_and_one_more_is_refused(tmp_path):
    engine = create_engine_for(tmp_path / "big.sqlite")
    upgrade(engine)
    with SqlUnitOfWork(engine) as uow:
        uow.save_register(_register(2**63 - 1))
        uow.commit()
    with SqlUnitOfWork(engine) as uow:
        assert uow.load_register().history("BIG-1").asset().original_value == Money(2**63 - 1)
    other = create_engine_for(tmp_path / "big2.sqlite")
    upgrade(other)
    with SqlUnitOfWork(other) as uow, pytest.raises(PersistenceError) as err:
        uow.save_register(_register(2**63))
    assert (err.value.record, err.value.field) == ("BIG-1", "original_value")
    engine.dispose()
    other.dispose()
