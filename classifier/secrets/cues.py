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
    r"|\bmy\s+(?:wallet\s+|secret\s+)?key|\bmy\s+secret\b|\bsecret\s*(?:is|[:=])"
    r"|\bkeys?\s+(?:to|of|for)\s+(?:my|the|your|his|her|our)\s+wallet"
    # A key handed over: "sent him my key", "gave the key to support", "pasted the key".
    r"|\b(?:sent|send|gave|give|given|pasted|paste|shared|share|leaked|posted|typed|entered"
    r"|copied|showed|exposed)\b(?:\s+[\w']+){0,3}?\s+keys?\b"
    r"|私钥|私鑰|秘钥|秘鑰|密钥|密鑰|秘密鍵|개인\s*키|clave\s+privada"
    r"|cl[ée]\s+priv[ée]e|chiave\s+privata|soukrom[ýy]\s+kl[íi][čc]|chave\s+privada",
)
# Words and links that present a 64-hex string as public data.
_PUBLIC = re.compile(
    # A label and its usual suffix form one match ("txid", "transaction id", "转账记录",
    # "交易ID"), so that the label ends right where the string it names starts.
    r"(?:\btx(?:id|n|s)?|transactions?|交易|转账|轉賬|充值|提现|提現|提币|提幣|区块|區塊)"
    r"(?:[\s_-]*(?:id|hash|link|url|number|记录|記錄|编号|編號|单号|單號|号|號|哈希值?))?"
    r"|hash|哈希值?|/tx/|/txs/|/block|/address|scan\.|explorer"
    r"|blockchair|mempool|blockstream|\bcommit|sha-?\s*(?:256|3)|checksum|digest|merkle|nonce"
    r"|\bblock|public[\s_-]*key|pub[\s_-]*key|pubkey|公钥|公鑰|address|地址|contract|合约|合約"
    r"|event\s*id|\border|signature|\bsig\b|签名|簽名|\bcid\b|\broot\b|\bsalt|\bid\s*[:=]|uuid"
    r"|solscan|solana\.?fm|solanabeach",
)
# What may stand between a public label and the string it labels ("tx: ", "hash = ",
# "/tx/", "交易哈希：", "txid is "): separators and a copula, nothing that could be a word of a
# sentence. Only such an attached label outweighs a key cue.
_ATTACHED_BEFORE = re.compile(
    r"[\s:=：＝#>→/\\\-–—()（）\[\]【】\"'`*,，|]*(?:(?:is|was|are|是|为|為)[\s:=：＝\"'`]*)?"
)
# After the string only a bracket or a copula attaches a label ("<hex> (txid)", "<hex> is the
# tx hash"): a label followed by a colon ("<hex> 地址：T…") introduces the next value instead.
_ATTACHED_AFTER = re.compile(r"\s*(?:[(（\[【]|[-–—,，]?\s*(?:is|was)\s+(?:the|my|a)\s)\s*")
_INTRODUCES = re.compile(r"\s*[:：=]")
_ATTACH_REACH = 12
# "not the tx hash", "instead of the address", "不是交易哈希": the label is denied, not given.
_DENIED = re.compile(
    r"(?:\bnot|n't|\binstead\s+of|\brather\s+than|不是|并非|並非|而非)\s*"
    r"(?:(?:the|a|an|my|your|its)\s+)?\Z"
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

        Leaking a key costs far more than hiding a tx hash, so the rules are asymmetric:

        1. A label attached to the string decides: only separators or a copula between, at
           most 12 characters. A key label before it (``private key: <hex>``) makes it a key;
           otherwise a public label (``tx: <hex>``, ``/tx/<hex>``, ``交易哈希：<hex>``, or after
           it ``<hex> (txid)``, ``<hex> is the tx hash``) makes it public data.
        2. Otherwise any key cue within reach (120 characters before, 30 after on the same line)
           makes it a key, even when a public word stands nearer (``sent it to him`` after
           ``my private key ... pending tx``).
        3. Otherwise a public word within reach makes it public data.
        4. Without any, weak hints within 40 characters decide; with none at all the answer is
           ``UNKNOWN``.

        A public word that is denied (``instead of the address``, ``not the tx hash``) counts
        for nothing.
        """
        low, high = max(0, start - _BEFORE), min(len(self.text), end + _AFTER)
        text = self._lower
        keys = [m for m in _KEY.finditer(text, low, high) if self._within(m, start, end)]
        if any(m.end() <= start and self._attached(m, start, end) for m in keys):
            return Presented.KEY
        public = False
        for match in _PUBLIC.finditer(text, low, high):
            if not self._within(match, start, end) or self._denied(match.start()):
                continue
            if self._attached(match, start, end):
                return Presented.PUBLIC
            public = True
        if keys:
            return Presented.KEY
        if public:
            return Presented.PUBLIC
        low, high = max(0, start - _WEAK), min(len(self.text), end + _WEAK)
        if _PUBLICISH.search(text, low, high):
            return Presented.PUBLIC
        if _KEYISH.search(text, low, high):
            return Presented.KEY
        return Presented.UNKNOWN

    def _within(self, match: re.Match[str], start: int, end: int) -> bool:
        """True for a cue before the string, or after it within 30 characters on its line."""
        if match.end() <= start:
            return True
        # A word on the next line labels what follows it, not this string.
        return (
            match.start() >= end
            and match.start() - end <= _AFTER // 2
            and "\n" not in self.text[end : match.start()]
        )

    def _attached(self, match: re.Match[str], start: int, end: int) -> bool:
        """True when only separators (and a copula) stand between the label and the string."""
        if match.end() <= start:
            gap = start - match.end()
            pattern, low, high = _ATTACHED_BEFORE, match.end(), start
        else:
            gap = match.start() - end
            pattern, low, high = _ATTACHED_AFTER, end, match.start()
            if _INTRODUCES.match(self._lower, match.end()):
                return False
        return gap <= _ATTACH_REACH and pattern.fullmatch(self._lower, low, high) is not None

    def _denied(self, position: int) -> bool:
        """True when the cue at ``position`` is denied (``not the``, ``instead of``, ``不是``)."""
        return _DENIED.search(self._lower, max(0, position - 20), position) is not None

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
