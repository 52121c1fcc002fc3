"""Adding a payload type is one registration: a schema class, or a field for a family of kinds."""

from __future__ import annotations

from fractions import Fraction

import attrs
import pytest

from assetreg.adapters.serde import dumps, from_payload, loads, register_payload_type, to_payload
from assetreg.adapters.serde.base import ModelSchema
from assetreg.adapters.serde.fields import FractionField, MoneyField, NonEmptyText, Tagged
from assetreg.domain.money import Money
from assetreg.errors import PayloadError


@attrs.frozen
class Payment:
    payee: str
    amount: Money


@attrs.frozen
class FixedTier:
    amount: Money


@attrs.frozen
class PercentTier:
    rate: Fraction


class PaymentSchema(ModelSchema):
    model = Payment
    payee = NonEmptyText()
    amount = MoneyField()


class FixedTierSchema(ModelSchema):
    model = FixedTier
    amount = MoneyField()


class PercentTierSchema(ModelSchema):
    model = PercentTier
    rate = FractionField()


TIERS = {"fixed": FixedTierSchema, "percent": PercentTierSchema}
KINDS = {FixedTier: "fixed", PercentTier: "percent"}

register_payload_type("test_payment", Payment, PaymentSchema, description="a test type")
register_payload_type(
    "test_tier",
    (FixedTier, PercentTier),
    field=lambda: Tagged(TIERS, lambda tier: KINDS[type(tier)]),
)


def test_a_registered_schema_round_trips_and_reports_paths() -> None:
    payment = Payment("H1", Money.yuan("639"))
    assert dumps(payment) == (
        '{"schema": "assetreg/test_payment", "version": 1, "data": {"payee": "H1", "amount": "639.00"}}'
    )
    assert loads(dumps(payment), "test_payment") == payment
    with pytest.raises(PayloadError) as info:
        loads('{"schema": "assetreg/test_payment", "version": 1, "data": {"payee": "", "amount": 639}}')
    assert sorted(info.value.details["errors"]) == ["data.amount", "data.payee"]


def test_a_registered_family_is_discriminated_by_kind() -> None:
    fixed, percent = FixedTier(Money.yuan("139")), PercentTier(Fraction(55, 100))
    assert to_payload(percent)["data"] == {"kind": "percent", "rate": "11/20"}
    assert from_payload(to_payload(fixed)) == fixed
    assert from_payload(to_payload(percent), "test_tier") == percent
    with pytest.raises(PayloadError) as info:
        from_payload({"schema": "assetreg/test_tier", "version": 1, "data": {"kind": "table"}})
    assert list(info.value.details["errors"]) == ["data.kind"]
