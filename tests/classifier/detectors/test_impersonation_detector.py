"""ImpersonationDetector: names confusable with staff, brand claims, and what must not fire."""

import pytest

from classifier.detectors import ImpersonationDetector, StaffIdentity
from core import Author, DetectionKind

STAFF = (
    StaffIdentity("telegram", "5120938841", ("nova_support", "Nova Support | Mia")),
    StaffIdentity("telegram", "5033187220", ("novaadmin_ken", "Nova Admin Ken")),
    StaffIdentity("discord", "458086114566895507", ("alex_mod", "Alex (community mod)")),
    StaffIdentity("twitter", "1397046212317032451", ("NovaWallet", "NovaWallet")),
    StaffIdentity("telegram", "100002", ("lily_chen", "Mia")),
    StaffIdentity("telegram", "100003", ("jonathan_w", "Jonathan Whitfield")),
)


@pytest.fixture(scope="module")
def detector() -> ImpersonationDetector:
    return ImpersonationDetector(STAFF, brand_names=("NovaWallet",))


@pytest.fixture(scope="module")
def staff_only() -> ImpersonationDetector:
    return ImpersonationDetector(STAFF)


def _check(
    detector: ImpersonationDetector,
    handle: str,
    name: str,
    author_id: str = "999",
    platform: str = "telegram",
) -> str | None:
    found = detector.check(platform, Author(id=author_id, handle=handle, display_name=name))
    if found is None:
        return None
    assert found.kind is DetectionKind.IMPERSONATION
    return found.evidence


@pytest.mark.parametrize(
    ("handle", "name", "copied"),
    [
        ("nova_supp0rt", "Nova Supp0rt", "nova_support"),
        ("nоva_support", "", "nova_support"),  # Cyrillic о
        ("nova_suppοrt", "", "nova_support"),  # Greek ο
        ("", "Nova Support | Mia", "Nova Support | Mia"),
        ("mia_helper", "Mia | Nova Support", "Nova Support | Mia"),
        ("nova_support_mia", "Nova Support | Mia", "Nova Support | Mia"),
        ("NOVA_SUPPORT", "", "nova_support"),
        ("novaadmin.ken", "Nova Admin Ken", "novaadmin_ken"),
        ("nova_admin_ken", "", "novaadmin_ken"),
        ("novaadmin_kenn", "", "novaadmin_ken"),
        ("N0vaWallet_Admin", "N0vaWallet Admin", "NovaWallet"),
        ("novavvallet", "", "NovaWallet"),
        ("novawaIlet", "", "NovaWallet"),
        ("", "✅ Nova Support ✅ | Mia", "Nova Support | Mia"),
        ("", "Ｎｏｖａ Ｓｕｐｐｏｒｔ", "nova_support"),
        ("", "Mia (support)", "Mia"),
        ("", "Admin Mia", "Mia"),
        ("jonathan_vv", "Jonathan Whitfie1d", "jonathan_w"),
        ("", "Jonathan Whitfie1d", "Jonathan Whitfield"),
        ("", "Jonathon Whitfield", "Jonathan Whitfield"),
        ("alex_mod", "Alex", "alex_mod"),
        # a number after a role word is decoration, not a disguised letter
        ("alex_mod1", "", "alex_mod"),
        ("alexmod99", "", "alex_mod"),
        ("", "Alex mod2", "alex_mod"),
        ("nova_support_01", "", "nova_support"),
        ("nova_suppor7", "", "nova_support"),  # here the 7 is a letter: still a copy
    ],
)
def test_copies_of_staff_names_fire(
    staff_only: ImpersonationDetector, handle: str, name: str, copied: str
) -> None:
    evidence = _check(staff_only, handle, name)
    assert evidence is not None
    assert f"staff {copied!r}" in evidence


@pytest.mark.parametrize(
    ("handle", "name"),
    [
        ("NovaWallet_Official_Help", ""),
        ("nova_helpdesk247", "Nova Help Desk 24/7"),
        ("nova_kefu_01", "Nova官方客服-小美"),
        ("", "Nova官方客服-小美"),
        ("", "NovaWallet 管理员"),
        ("nova_airdrop_news", "NOVA Airdrop 🎁"),
        ("NovaWallet_Events", "NovaWallet Events 🎉"),
        ("", "NovaWallet Suport"),
        ("", "Nova Offical"),
    ],
)
def test_brand_claims_fire(detector: ImpersonationDetector, handle: str, name: str) -> None:
    evidence = _check(detector, handle, name)
    assert evidence is not None
    assert "NovaWallet" in evidence


@pytest.mark.parametrize(
    ("handle", "name"),
    [
        ("mia", "Mia"),
        ("mia_2024", "Mia 🌸"),
        ("alex1", "Alex 1"),
        ("abbott12", "Abbott"),
        ("alex_smith1", "Alex Smith"),
        ("nova", "Nova"),
        ("nova_fan", "Nova"),
        ("supportive_sam", "Sam"),
        ("sam_supports_you", "Sam"),
        ("alex", "Alex"),
        ("ken", "Ken"),
        ("kenny_hk", "Kenny 陳"),
        ("jonathan", "Jonathan"),
        ("modesto", "Modesto R"),
        ("carlos_gtz", "Carlos Gutiérrez"),
        ("xiaoming_88", "小明"),
        ("", "客服"),
        ("", "官方客服小美"),
        ("chain_recovery_pro", "Chain Recovery Pro 🛡️"),
        ("novice_trader", "Novice"),
        ("", ""),
    ],
)
def test_ordinary_names_do_not_fire(
    detector: ImpersonationDetector, handle: str, name: str
) -> None:
    assert _check(detector, handle, name) is None


def test_the_real_staff_ids_are_never_flagged(detector: ImpersonationDetector) -> None:
    assert _check(detector, "nova_support", "Nova Support | Mia", "5120938841") is None
    # Another staff member with a similar name is staff too.
    assert _check(detector, "nova_support", "Nova Support", "5033187220") is None
    # An id is only staff on its own platform.
    assert _check(detector, "nova_support", "", "5120938841", platform="discord") is not None


def test_is_staff_authors_are_never_flagged(detector: ImpersonationDetector) -> None:
    author = Author(id="1", handle="nova_support", display_name="Nova Support", is_staff=True)
    assert detector.check("telegram", author) is None


def test_evidence_names_the_field_and_the_staff_account(staff_only: ImpersonationDetector) -> None:
    evidence = _check(staff_only, "nova_supp0rt", "Nova Supp0rt")
    assert evidence == (
        "handle 'nova_supp0rt' is confusable with staff 'nova_support' (telegram id 5120938841)"
    )


def test_results_are_cached_per_author_and_names(detector: ImpersonationDetector) -> None:
    first = _check(detector, "nova_supp0rt", "x", "42")
    assert _check(detector, "nova_supp0rt", "x", "42") == first
    assert _check(detector, "someone_else", "x", "42") is None


def test_no_staff_means_no_staff_detection() -> None:
    detector = ImpersonationDetector(())
    assert _check(detector, "nova_support", "Nova Support") is None
