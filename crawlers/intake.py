"""Admit one built Article into the store: the duplicate checks every way in shares.

The crawl's store pipeline and ``coopwatch ingest`` both call
:meth:`Intake.admit`, so a page is judged the same however it arrived:

* an exact copy of another stored article's text (same content hash, another
  id) is refused as ``duplicate-content`` — the text is already there;
* a page that only *claims* an address (a saved file's ``<link rel=canonical>``
  or ``og:url``) never replaces the stored text of that address: different
  text is refused as ``canonical-conflict`` (the stored article — usually the
  crawled one, what the source published — stays as it was); the same text is
  ``unchanged``. Only a fetch of the address itself (crawl, ``ingest URL``)
  updates an article;
* otherwise the article is upserted (``new`` | ``updated`` | ``unchanged``) and
  a near-duplicate (datasketch MinHash, :mod:`crawlers.dedup`) is linked to its
  original in the store's ``duplicates`` table and kept.

Refusals raise :class:`crawlers.extract.Dropped`; the caller records and counts them.
"""

from __future__ import annotations

from dataclasses import dataclass

from coopwatch.records import Article
from coopwatch.store import Store
from crawlers import dedup
from crawlers.extract import Dropped


@dataclass(kw_only=True)
class Admitted:
    outcome: str  # new | updated | unchanged
    near: tuple[str, float] | None = None  # (original id, similarity) when a near-duplicate


class Intake:
    def __init__(self, store: Store):
        self.store = store
        self.near = dedup.NearDuplicateIndex()
        for aid, sig in store.iter_signatures(dedup.SCHEME):
            self.near.add(aid, dedup.from_bytes(sig))

    def admit(self, art: Article, *, claimed: bool = False) -> Admitted:
        """Store ``art`` or raise :class:`Dropped`; ``claimed``: its URL comes from the page, not from where it was read."""
        original = self.store.known_content(art.content_sha1)
        if original is not None and original != art.id:
            raise Dropped("duplicate-content", f"same text as article {original}")
        if claimed:
            stored = self.store.get_article(art.id)
            if stored is not None and stored.content_sha1 != art.content_sha1:
                raise Dropped(
                    "canonical-conflict",
                    f"the page names {art.canonical_url} as its address, but article {art.id} (source {stored.source}) "
                    "holds other text there; kept the stored one (crawl or ingest the URL itself to update it)",
                )
        outcome = self.store.upsert_article(art)
        near = self._near_duplicates(art) if outcome != "unchanged" else None
        return Admitted(outcome=outcome, near=near)

    def _near_duplicates(self, art: Article) -> tuple[str, float] | None:
        sig = dedup.signature(art.title + "\n" + art.text)
        match = self.near.find(art.id, sig)
        if match is not None:
            self.store.mark_duplicate(art.id, match[0], match[1])
        else:
            self.store.clear_duplicate(art.id)
        self.store.save_signature(art.id, dedup.SCHEME, dedup.to_bytes(sig))
        self.near.add(art.id, sig)
        return match
