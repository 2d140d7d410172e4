"""Generate a static N-page news site (zh/en/de/vi) for the crawl benchmark.

Layout: ``/robots.txt`` → ``/sitemap.xml`` (a sitemap index) → one Google News
sitemap per language → article pages ``/<lang>/news/<n>.html``. Each page has a
portal's boilerplate (navigation, "most read" box, footer with a copyright
year), a headline and 6–9 paragraphs built from per-language sentence banks
with the page number mixed in; half the pages carry date metadata, the rest
only a dateline under the headline. Deterministic (seeded).

Run: ``python benchmarks/gen_crawl_site.py OUT_DIR [--pages 2000]``.
"""

from __future__ import annotations

import argparse
import random
import re
from datetime import date, timedelta
from pathlib import Path

LANGS = ("en", "de", "vi", "zh")
BANK = {
    "en": [
        "The Ministry of Health of {c1} and the health authorities of {c2} signed a memorandum on {t}.",
        "Under the agreement, {n} doctors and nurses will take part in exchange programmes over {y} years.",
        "Officials said the cooperation on {t} would strengthen hospital partnerships between the two countries.",
        "A joint working group will meet in {city} to review progress on {t} and report to both ministries.",
        "The World Health Organization welcomed the initiative as a model for regional cooperation on {t}.",
        "Provincial hospitals in border areas will receive equipment worth {n} thousand dollars under the plan.",
        "Training courses on {t} will be held in {city} for {n} health workers from rural districts.",
        "Experts from both sides presented results of earlier projects on {t} at the conference in {city}.",
    ],
    "de": [
        "Das Gesundheitsministerium von {c1} und die Behörden in {c2} unterzeichneten eine Vereinbarung über {t}.",
        "Im Rahmen des Abkommens nehmen {n} Ärztinnen und Ärzte über {y} Jahre an Austauschprogrammen teil.",
        "Die Zusammenarbeit im Bereich {t} soll die Partnerschaften zwischen Krankenhäusern beider Länder stärken.",
        "Eine gemeinsame Arbeitsgruppe wird in {city} die Fortschritte bei {t} prüfen und den Ministerien berichten.",
        "Die Weltgesundheitsorganisation begrüßte die Initiative als Vorbild für regionale Kooperation bei {t}.",
        "Kliniken in Grenzregionen erhalten nach dem Plan Geräte im Wert von {n} tausend Euro.",
        "Fortbildungen zu {t} finden in {city} für {n} Fachkräfte aus ländlichen Kreisen statt.",
        "Fachleute beider Seiten stellten in {city} Ergebnisse früherer Projekte zu {t} vor.",
    ],
    "vi": [
        "Bộ Y tế {c1} và cơ quan y tế {c2} đã ký biên bản ghi nhớ về {t}.",
        "Theo thỏa thuận, {n} bác sĩ và điều dưỡng sẽ tham gia chương trình trao đổi trong {y} năm.",
        "Các quan chức cho biết hợp tác về {t} sẽ tăng cường quan hệ đối tác giữa các bệnh viện hai nước.",
        "Một nhóm công tác chung sẽ họp tại {city} để đánh giá tiến độ về {t} và báo cáo hai bộ.",
        "Tổ chức Y tế Thế giới hoan nghênh sáng kiến này như một mô hình hợp tác khu vực về {t}.",
        "Các bệnh viện tuyến tỉnh ở khu vực biên giới sẽ nhận thiết bị trị giá {n} nghìn đô la.",
        "Các khóa đào tạo về {t} sẽ được tổ chức tại {city} cho {n} cán bộ y tế tuyến huyện.",
        "Chuyên gia hai bên đã trình bày kết quả các dự án trước đây về {t} tại hội nghị ở {city}.",
    ],
    "zh": [
        "{c1}卫生部与{c2}卫生主管部门签署了关于{t}的合作备忘录。",
        "根据协议，{n}名医生和护士将在{y}年内参加交流项目。",
        "有关官员表示，{t}方面的合作将加强两国医院之间的伙伴关系。",
        "双方联合工作组将在{city}召开会议，评估{t}工作进展并向两国主管部门报告。",
        "世界卫生组织对这一倡议表示欢迎，认为这是{t}区域合作的典范。",
        "根据该计划，边境地区的省级医院将获得价值{n}万元的医疗设备。",
        "有关{t}的培训班将在{city}举办，面向{n}名基层卫生工作者。",
        "双方专家在{city}举行的会议上介绍了以往{t}项目的成果。",
    ],
}
FILL = {
    "en": {
        "c": ["Viet Nam", "China", "Germany", "Lao PDR", "Cambodia"],
        "t": ["telemedicine", "cardiology training", "malaria control", "emergency care", "health data exchange"],
        "city": ["Hanoi", "Nanning", "Berlin", "Kunming", "Vientiane"],
    },
    "de": {
        "c": ["Vietnam", "China", "Deutschland", "Laos", "Kambodscha"],
        "t": ["Telemedizin", "Kardiologie", "Malariabekämpfung", "Notfallmedizin", "Gesundheitsdaten"],
        "city": ["Hanoi", "Nanning", "Berlin", "Kunming", "Vientiane"],
    },
    "vi": {
        "c": ["Việt Nam", "Trung Quốc", "Đức", "Lào", "Campuchia"],
        "t": ["y tế từ xa", "đào tạo tim mạch", "phòng chống sốt rét", "cấp cứu", "trao đổi dữ liệu y tế"],
        "city": ["Hà Nội", "Nam Ninh", "Berlin", "Côn Minh", "Viêng Chăn"],
    },
    "zh": {
        "c": ["越南", "中国", "德国", "老挝", "柬埔寨"],
        "t": ["远程医疗", "心血管培训", "疟疾防控", "急救医学", "卫生数据交换"],
        "city": ["河内", "南宁", "柏林", "昆明", "万象"],
    },
}
POOL = {  # words (characters for Chinese) for the page-specific paragraphs
    lang: sorted(
        set(re.findall(r"[\u4e00-\u9fff]", "".join(BANK[lang]) + "".join([w for ws in FILL[lang].values() for w in ws])))
        if lang == "zh"
        else {
            w.strip(".,–").lower() for w in " ".join(BANK[lang] + [w for ws in FILL[lang].values() for w in ws]).split() if "{" not in w
        }
    )
    for lang in LANGS
}
NAV = {
    "en": "Home News Health World",
    "de": "Startseite Nachrichten Gesundheit",
    "vi": "Trang chủ Tin tức Sức khỏe",
    "zh": "首页 新闻 健康 国际",
}


def dateline(lang: str, d: date) -> str:
    return {
        "en": f"Hanoi, {d.day} {d.strftime('%B')} {d.year} –",
        "de": f"Berlin, {d.day}. {['Januar', 'Februar', 'März', 'April', 'Mai', 'Juni', 'Juli', 'August', 'September', 'Oktober', 'November', 'Dezember'][d.month - 1]} {d.year} –",
        "vi": f"Hà Nội, ngày {d.day} tháng {d.month} năm {d.year}",
        "zh": f"{d.year}年{d.month:02d}月{d.day:02d}日 来源：卫生健康委",
    }[lang]


def page(i: int) -> tuple[str, str, date, str]:
    """(lang, path, publication date, html) of page ``i``."""
    lang = LANGS[i % 4]
    rng = random.Random(i)
    f = FILL[lang]
    d = date(2022, 1, 1) + timedelta(days=rng.randrange(900))
    fill = lambda s: s.format(
        c1=rng.choice(f["c"]),
        c2=rng.choice(f["c"]),
        t=rng.choice(f["t"]),
        city=rng.choice(f["city"]),
        n=rng.randint(5, 400) + i,
        y=rng.randint(2, 6),
    )
    title = fill(BANK[lang][0]).rstrip("。.")[:80] + f" ({i})"
    paras = [fill(s) for s in rng.sample(BANK[lang], k=5)]
    # page-specific paragraphs, so that no two pages are near-duplicates of each other
    pool = POOL[lang]
    for _ in range(2):
        if lang == "zh":
            paras.insert(
                rng.randrange(len(paras)), "".join(rng.choice(pool) for _ in range(rng.randint(50, 70))) + "。"
            )
        else:
            words = [rng.choice(pool) for _ in range(rng.randint(35, 50))]
            paras.insert(rng.randrange(len(paras)), " ".join(words).capitalize() + ".")
    meta = f'<meta property="article:published_time" content="{d.isoformat()}T08:00:00+00:00">' if i % 2 else ""
    top = "" if i % 2 else f"<p class='dateline'>{dateline(lang, d)}</p>"
    related = "".join(f"<li><a href='/{lang}/news/{(i + k) % 97}.html'>{NAV[lang]} {k}</a></li>" for k in range(1, 6))
    html = (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>{title} | Health Portal</title>{meta}</head>'
        f"<body><header><nav>{' '.join(f'<a href=/{lang}/{w}/>{w}</a>' for w in NAV[lang].split())}</nav></header>"
        f"<main><article><h1>{title}</h1>{top}" + "".join(f"<p>{p}</p>" for p in paras) + "</article></main>"
        f"<aside><h3>Most read</h3><ul>{related}</ul></aside>"
        f"<footer>© 2005-2026 Health Portal. All rights reserved. Hotline 1900 {i:04d}</footer></body></html>"
    )
    return lang, f"/{lang}/news/{i}.html", d, html


def generate(out: Path, pages: int = 2000) -> list[str]:
    """Write the site under ``out``; return the article paths."""
    out.mkdir(parents=True, exist_ok=True)
    (out / "robots.txt").write_text("User-agent: *\nAllow: /\nSitemap: /sitemap.xml\n")
    by_lang: dict[str, list[tuple[str, date]]] = {lang: [] for lang in LANGS}
    paths = []
    for i in range(pages):
        lang, path, d, html = page(i)
        target = out / path.lstrip("/")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(html, encoding="utf-8")
        by_lang[lang].append((path, d))
        paths.append(path)
    index = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    ]
    for lang, entries in by_lang.items():
        index.append(f"<sitemap><loc>__BASE__/sitemap-{lang}.xml</loc></sitemap>")
        urls = "".join(
            f"<url><loc>__BASE__{p}</loc><news:news><news:publication><news:name>Health Portal</news:name>"
            f"<news:language>{lang}</news:language></news:publication><news:publication_date>{d.isoformat()}"
            f"</news:publication_date><news:title>{lang} {p}</news:title></news:news></url>"
            for p, d in entries
        )
        (out / f"sitemap-{lang}.xml").write_text(
            '<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
            f'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">{urls}</urlset>'
        )
    index.append("</sitemapindex>")
    (out / "sitemap.xml").write_text("\n".join(index))
    return paths


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("out", type=Path)
    ap.add_argument("--pages", type=int, default=2000)
    a = ap.parse_args()
    print(f"{len(generate(a.out, a.pages))} pages under {a.out}")
