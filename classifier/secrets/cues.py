"""Words around a candidate secret that tell what the text presents it as."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property

# Words that present a list of words as a wallet secret, in the BIP39 languages.
_SEED = re.compile(
    r"seed|mnemonic|recovery|\bphrase|backup|wallet\s*words|\b(?:my|these|the)\s+words\b"
    r"|\b(?:12|15|18|21|24|twelve|twenty[\s-]*four)\s*(?:words?|palabras|mots|parole|slov|palavras)"
    r"|助记词|助記詞|助记|助記|种子|種子|恢复短语|恢復短語|恢复词|恢復詞|密语|密語|私钥|私鑰|备份|備份"
    r"|シード|ニーモニック|復元|リカバリー|니모닉|시드|복구|semilla|frase|mn[ée]monique"
    r"|phrase\s*de\s*r[ée]cup[ée]ration|frase\s*di\s*recupero|obnovovac[íi]\s*fr[áa]ze"
    r"|semente",
    re.IGNORECASE,
)
# Cue written right before a Chinese mnemonic that has no space or punctuation around it.
_ANCHOR = re.compile(
    r"(?:助记词|助記詞|种子|種子|恢复短语|恢復短語|恢复词|密语|密語|seed|phrase|mnemonic|words)"
    r"\s*(?:如下是|如下|是|为|為)?\s*[:：]?\s*",
    re.IGNORECASE,
)
# Words that present a 64-hex string as a private key.
_KEY = re.compile(
    r"priv(?:ate)?[\s_-]*key|privkey|secret[\s_-]*key|\bpk\b|\bprv\b|\bsk\b|wallet[\s_-]*key"
    r"|export(?:ed)?\s+(?:my\s+|the\s+)?key|(?<!public )(?<!pub )(?<!api )\bkey\s*(?:is|[:=])"
    r"|\bmy\s+key|\bmy\s+secret\b|\bsecret\s*(?:is|[:=])|私钥|私鑰|秘钥|秘鑰|密钥|密鑰|秘密鍵|개인\s*키|clave\s+privada"
    r"|cl[ée]\s+priv[ée]e|chiave\s+privata|soukrom[ýy]\s+kl[íi][čc]|chave\s+privada",
)
# Words and links that present a 64-hex string as public data.
_PUBLIC = re.compile(
    r"\btx|txid|txn|transaction|hash|交易|哈希|转账|轉賬|充值|提现|提現|区块|區塊|/tx/|/txs/|/block|/address|scan\.|explorer"
    r"|blockchair|mempool|blockstream|\bcommit|sha-?\s*(?:256|3)|checksum|digest|merkle|nonce"
    r"|\bblock|public[\s_-]*key|pub[\s_-]*key|pubkey|公钥|公鑰|address|地址|contract|合约|合約"
    r"|event\s*id|\border|signature|\bsig\b|签名|簽名|\bcid\b|\broot\b|\bsalt|\bid\s*[:=]|uuid"
    r"|solscan|solana\.?fm|solanabeach",
)
# Weaker hints, used only when neither list above says anything.
_KEYISH = re.compile(r"import|export|restore|recover|导入|導入|导出|導出|恢复|恢復")
_PUBLICISH = re.compile(
    r"\bsen[dt]|receiv|deposit|withdr|transfer|pending|confirm|stuck|swap|fail|\bgas\b|\bfee|转账|轉賬|充值|提现|提現|到账|到賬",
)
# Solana wallets and tools that export a 64-byte keypair: a hint that such a string is one, used
# only when nothing above speaks about it (a signature is pasted from the same wallets).
_KEYPAIR_TOOL = re.compile(r"phantom|solflare|backpack|keypair|key\s*pair|id\.json|keygen")
#: How far from a candidate (in characters) a cue still speaks about it.
_BEFORE, _AFTER = 120, 60
_SEED_REACH = 300
_ASCII_LOWER = {c: c + 32 for c in range(ord("A"), ord("Z") + 1)}
_WEAK = 40


class Presented(StrEnum):
    """What the text presents a 64-hex string as."""

    KEY = "key"
    PUBLIC = "public"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Cues:
    """Cue positions of one text, found once and asked many times.

    Args:
        text: The text being scanned.
    """

    text: str

    def seed_near(self, start: int, end: int) -> bool:
        """Tell whether a seed cue stands near ``[start, end)`` but outside it."""
        low, high = max(0, start - _SEED_REACH), min(len(self.text), end + _SEED_REACH // 2)
        for match in _SEED.finditer(self.text, low, high):
            if match.end() <= start or match.start() >= end:
                return True
        return False

    @cached_property
    def has_seed_cue(self) -> bool:
        """True when the text holds a seed cue anywhere."""
        return _SEED.search(self.text) is not None

    def anchors(self) -> frozenset[int]:
        """Offsets right after a seed cue (``助记词是…``): where an anchored mnemonic starts."""
        return frozenset(match.end() for match in _ANCHOR.finditer(self.text))

    @cached_property
    def _lower(self) -> str:
        # ASCII-only lowering keeps every offset (str.lower() may change the length).
        return self.text.translate(_ASCII_LOWER)

    def hex_presented(self, start: int, end: int) -> Presented:
        """Decide what the text presents the string at ``[start, end)`` as.

        The nearest explicit cue wins (one after the string counts triple distance, and only
        within 30 characters on the same line); without one, weak hints within 40 characters
        decide; with none at all the answer is ``UNKNOWN``.
        """
        low, high = max(0, start - _BEFORE), min(len(self.text), end + _AFTER)
        text = self._lower
        best: tuple[int, Presented] | None = None
        for pattern, verdict in ((_KEY, Presented.KEY), (_PUBLIC, Presented.PUBLIC)):
            for match in pattern.finditer(text, low, high):
                if match.end() <= start:
                    distance = start - match.end()
                elif (
                    match.start() >= end
                    and match.start() - end <= _AFTER // 2
                    # A word on the next line labels what follows it, not this string.
                    and "\n" not in text[end : match.start()]
                ):
                    distance = 3 * (match.start() - end)
                else:
                    continue
                if best is None or distance < best[0]:
                    best = (distance, verdict)
        if best is not None:
            return best[1]
        low, high = max(0, start - _WEAK), min(len(self.text), end + _WEAK)
        if _PUBLICISH.search(text, low, high):
            return Presented.PUBLIC
        if _KEYISH.search(text, low, high):
            return Presented.KEY
        return Presented.UNKNOWN

    def keypair_hinted(self, start: int, end: int) -> bool:
        """Tell whether a keypair-exporting wallet is named near ``[start, end)``.

        Only a hint: it counts when no weak public-data word (``sent``, ``swap``, ``fail``…)
        stands anywhere within the same reach, since users paste signatures from the same
        wallets.
        """
        low, high = max(0, start - _BEFORE), min(len(self.text), end + _AFTER)
        text = self._lower

        def near(pattern: re.Pattern[str]) -> bool:
            # Outside the candidate only: a long base58 string may spell anything.
            return bool(pattern.search(text, low, start) or pattern.search(text, end, high))

        return near(_KEYPAIR_TOOL) and not near(_PUBLICISH)
