"""Regenerate the static demo site in ``coopwatch/demo/site`` from ``content/``.

    python -m coopwatch.demo.build_site [--out DIR]

The generated files are committed (the site is a test fixture and must not
change silently); ``tests/coopwatch/test_demo_site.py`` checks that the
committed site equals a fresh build.  Edit the texts in ``content/*.py`` or the
page templates here, then re-run this module.

Each language section has its own portal look (class names, date formats,
breadcrumbs), as real sites do.  Feeds, sitemaps and robots.txt contain the
``__BASE_URL__`` placeholder which ``server.py`` replaces at request time.
Pages under ``/zh-gbk/`` are written in GBK.
"""

from __future__ import annotations

import argparse
import json
import shutil
from datetime import datetime
from email.utils import format_datetime
from html import escape
from pathlib import Path

from coopwatch.demo.content import de, en, vi, zh

SITE_DIR = Path(__file__).resolve().parent / "site"
BASE = "__BASE_URL__"
DISCLAIMER = {
    "en": "Demo site of coopwatch. Stories are fictionalised for testing.",
    "de": "Demo-Website von coopwatch. Die Meldungen sind zu Testzwecken fiktionalisiert.",
    "vi": "Trang demo của coopwatch. Nội dung được hư cấu phục vụ kiểm thử.",
    "zh": "本站为 coopwatch 演示网站，内容为测试用途改编。",
}


def _e(text: str) -> str:
    return escape(text, quote=True)


def _dt(iso: str) -> datetime:
    return datetime.fromisoformat(iso)


def _links(items: list[dict], cls: str = "") -> str:
    attr = f' class="{cls}"' if cls else ""
    return "\n".join(f'          <li{attr}><a href="{a["path"]}">{_e(a["title"])}</a></li>' for a in items)


def _sidebar_lists(article: dict, pool: list[dict]) -> tuple[list[dict], list[dict]]:
    others = [a for a in pool if a["path"] != article["path"]]
    related = [a for a in others if a["relevant"] == article["relevant"]][:3] or others[:3]
    most_read = list(reversed(others))[:4]
    return related, most_read


CSS = """/* Demo portal styles (shared by all sections). */
body { font-family: Georgia, "Noto Serif", "SimSun", serif; margin: 0; color: #222; background: #fafafa; }
header.site-header, .top-bar, .header-wrap { background: #0b3d5c; color: #fff; padding: 0.5rem 1rem; }
header a, .top-bar a, .header-wrap a { color: #fff; }
nav ul, .nav ul, .menu ul { list-style: none; display: flex; gap: 1rem; margin: 0; padding: 0; }
.container, .wrapper, .main-wrap { display: flex; gap: 2rem; max-width: 1100px; margin: 0 auto; padding: 1rem; }
main, .content-main, .main-left { flex: 3; }
aside, .sidebar, .main-right { flex: 1; font-size: 0.9rem; }
.breadcrumb, .crumbs, .position { font-size: 0.85rem; color: #666; }
footer, .site-footer, .footer { background: #222; color: #ccc; padding: 1rem; font-size: 0.8rem; }
footer a { color: #eee; }
.dateline, .meta, .info, .date-time { color: #777; font-size: 0.85rem; }
"""


# --------------------------------------------------------------------------- en


def _en_page(title: str, head_extra: str, crumbs: list[tuple[str, str]], main: str, aside: str) -> str:
    crumb_html = ' <span class="sep">&rsaquo;</span> '.join(
        f'<a href="{href}">{_e(label)}</a>' if href else f"<span>{_e(label)}</span>" for label, href in crumbs
    )
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>{_e(title)} | Asia Health Dispatch</title>
  <link rel="stylesheet" href="/assets/css/site.css">
  <link rel="alternate" type="application/rss+xml" title="Asia Health Dispatch" href="/en/feed.xml">
{head_extra}</head>
<body class="en-portal">
  <header class="site-header">
    <div class="brand"><a href="/en/index.html">Asia Health Dispatch</a> <span class="tagline">Health news from Asia and the world</span></div>
    <nav class="main-nav" aria-label="Main">
      <ul>
        <li><a href="/en/index.html">Home</a></li>
        <li><a href="/en/index.html#world">World</a></li>
        <li><a href="/en/index.html#asia-pacific">Asia-Pacific</a></li>
        <li><a href="/en/index.html#health">Health</a></li>
        <li><a href="/en/index.html#digital-health">Digital health</a></li>
        <li><a href="/en/index.html#sport">Sport</a></li>
        <li><a href="/en/index.html#opinion">Opinion</a></li>
        <li><a href="/index.html">Other editions</a></li>
      </ul>
    </nav>
    <form class="search" action="/en/index.html" method="get"><input type="search" name="q" placeholder="Search"><button type="submit">Go</button></form>
  </header>
  <div class="container">
    <main>
      <div class="breadcrumb">{crumb_html}</div>
{main}
    </main>
    <aside class="sidebar">
{aside}
      <section class="newsletter">
        <h3>Newsletter</h3>
        <p>Get the week's most important health stories from Asia in your inbox every Friday.</p>
        <a href="/en/index.html#newsletter">Sign up</a>
      </section>
    </aside>
  </div>
  <footer class="site-footer">
    <div class="footer-cols">
      <div class="col">
        <h4>About us</h4>
        <p>Asia Health Dispatch is an independent online newspaper covering public health, hospitals and international cooperation across Asia.</p>
        <ul>
          <li><a href="/en/index.html#about">About</a></li>
          <li><a href="/en/index.html#team">Our team</a></li>
          <li><a href="/en/index.html#careers">Careers</a></li>
          <li><a href="/en/index.html#advertise">Advertise with us</a></li>
        </ul>
      </div>
      <div class="col">
        <h4>Contact</h4>
        <p>Newsroom: 18 Ly Thuong Kiet Street, Hoan Kiem District, Hanoi, Viet Nam</p>
        <p>Tel: +84 24 3936 0000 &middot; Email: <a href="mailto:newsroom@asiahealthdispatch.example">newsroom@asiahealthdispatch.example</a></p>
      </div>
      <div class="col">
        <h4>Follow us</h4>
        <ul>
          <li><a href="https://www.facebook.com/" rel="nofollow">Facebook</a></li>
          <li><a href="https://x.com/" rel="nofollow">X</a></li>
          <li><a href="/en/feed.xml">RSS</a></li>
        </ul>
      </div>
    </div>
    <p class="legal"><a href="/en/index.html#terms">Terms of use</a> &middot; <a href="/en/index.html#privacy">Privacy policy</a> &middot; <a href="/en/index.html#corrections">Corrections</a></p>
    <p class="copyright">&copy; 2008-2026 Asia Health Dispatch Media Ltd. All rights reserved. Reproduction without permission is prohibited.</p>
    <p class="disclaimer">{_e(DISCLAIMER["en"])}</p>
  </footer>
</body>
</html>
"""


def en_article(a: dict, pool: list[dict]) -> str:
    related, most_read = _sidebar_lists(a, pool)
    dt = _dt(a["published"])
    head = f"""  <meta name="description" content="{_e(a["summary"])}">
  <meta property="og:type" content="article">
  <meta property="og:title" content="{_e(a["title"])}">
  <meta property="og:description" content="{_e(a["summary"])}">
  <meta property="og:site_name" content="Asia Health Dispatch">
  <meta property="article:published_time" content="{a["published"]}">
  <meta property="article:section" content="{_e(a["section"])}">
"""
    body = "\n".join(f"          <p>{_e(p)}</p>" for p in a["paragraphs"])
    main = f"""      <article class="story">
        <p class="kicker">{_e(a["section"])}</p>
        <h1 class="headline">{_e(a["title"])}</h1>
        <p class="standfirst">{_e(a["summary"])}</p>
        <div class="dateline">Published <time datetime="{dt.isoformat()}">{_e(a["dateline"])}</time> &middot; <span class="byline">{_e(a["byline"])}</span></div>
        <div class="article-body">
{body}
        </div>
        <p class="share">Share: <a href="https://www.facebook.com/" rel="nofollow">Facebook</a> &middot; <a href="https://x.com/" rel="nofollow">X</a> &middot; <a href="mailto:?subject=Asia%20Health%20Dispatch">Email</a></p>
      </article>"""
    aside = f"""      <section class="related">
        <h3>Related</h3>
        <ul>
{_links(related)}
        </ul>
      </section>
      <section class="most-read">
        <h3>Most read</h3>
        <ol>
{_links(most_read)}
        </ol>
      </section>"""
    crumbs = [("Home", "/en/index.html"), ("News", "/en/index.html"), (a["section"], None)]
    return _en_page(a["title"], head, crumbs, main, aside)


def en_index(articles: list[dict]) -> str:
    items = "\n".join(
        f"""        <li class="teaser"><h2><a href="{a["path"]}">{_e(a["title"])}</a></h2><p>{_e(a["summary"])}</p></li>"""
        for a in sorted(articles, key=lambda x: x["published"], reverse=True)
    )
    main = f"""      <h1>Latest news</h1>
      <ul class="teasers">
{items}
      </ul>"""
    aside = """      <section class="about" id="about">
        <h3>About this edition</h3>
        <p>Our English edition follows health cooperation between governments, hospitals and international organisations.</p>
      </section>"""
    return _en_page("Latest news", "", [("Home", None)], main, aside)


# --------------------------------------------------------------------------- de


def _de_page(title: str, head_extra: str, crumbs: list[tuple[str, str]], main: str, aside: str) -> str:
    crumb_html = " &gt; ".join(
        f'<a href="{href}">{_e(label)}</a>' if href else f"<span>{_e(label)}</span>" for label, href in crumbs
    )
    return f"""<!DOCTYPE html>
<html lang="de">
<head>
  <meta charset="utf-8">
  <title>{_e(title)} - Gesundheit Global</title>
  <link rel="stylesheet" href="/assets/css/site.css">
  <link rel="alternate" type="application/atom+xml" title="Gesundheit Global - Nachrichten" href="/de/atom.xml">
{head_extra}</head>
<body>
  <div class="top-bar">
    <a class="logo" href="/de/index.html">Gesundheit Global</a>
    <div class="nav">
      <ul>
        <li><a href="/de/index.html">Startseite</a></li>
        <li><a href="/de/index.html#politik">Politik</a></li>
        <li><a href="/de/index.html#gesundheit">Gesundheit</a></li>
        <li><a href="/de/index.html#internationales">Internationales</a></li>
        <li><a href="/de/index.html#wissen">Wissen</a></li>
        <li><a href="/de/index.html#wetter">Wetter</a></li>
        <li><a href="/de/index.html#sport">Sport</a></li>
        <li><a href="/index.html">Andere Ausgaben</a></li>
      </ul>
    </div>
  </div>
  <div class="wrapper">
    <div class="content-main">
      <div class="crumbs">Sie sind hier: {crumb_html}</div>
{main}
    </div>
    <div class="sidebar">
{aside}
      <div class="box-abo">
        <h3>Newsletter</h3>
        <p>Die wichtigsten Nachrichten aus der internationalen Gesundheitspolitik jeden Morgen per E-Mail.</p>
        <a href="/de/index.html#newsletter">Jetzt abonnieren</a>
      </div>
    </div>
  </div>
  <div class="site-footer">
    <div class="footer-links">
      <ul>
        <li><a href="/de/impressum.html">Impressum</a></li>
        <li><a href="/de/impressum.html#datenschutz">Datenschutz</a></li>
        <li><a href="/de/impressum.html#kontakt">Kontakt</a></li>
        <li><a href="/de/index.html#agb">AGB</a></li>
        <li><a href="/de/index.html#mediadaten">Mediadaten</a></li>
        <li><a href="/de/atom.xml">Atom-Feed</a></li>
      </ul>
    </div>
    <p>Gesundheit Global Verlag GmbH &middot; Friedrichstra&szlig;e 100 &middot; 10117 Berlin &middot; Telefon +49 30 1234 5670 &middot; <a href="mailto:redaktion@gesundheit-global.example">redaktion@gesundheit-global.example</a></p>
    <p>Gesch&auml;ftsf&uuml;hrung: Anna Schmidt &middot; Amtsgericht Charlottenburg HRB 123456 B &middot; Verantwortlich f&uuml;r den Inhalt nach &sect; 18 Abs. 2 MStV: Markus Weber</p>
    <p class="copyright">&copy; 2008-2026 Gesundheit Global Verlag GmbH. Alle Rechte vorbehalten.</p>
    <p class="disclaimer">{_e(DISCLAIMER["de"])}</p>
  </div>
</body>
</html>
"""


def de_article(a: dict, pool: list[dict]) -> str:
    related, most_read = _sidebar_lists(a, pool)
    ld: dict = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": a["title"],
        "articleSection": a["section"],
        "author": {"@type": "Person", "name": a["byline"].removeprefix("Von ").removeprefix("von ")},
        "publisher": {"@type": "Organization", "name": "Gesundheit Global"},
    }
    head = f'  <meta name="description" content="{_e(a["summary"])}">\n'
    if a["published"]:
        ld["datePublished"] = a["published"]
        ld["dateModified"] = a["published"]
        head += f'  <meta name="date" content="{a["published"]}">\n'
    head += f'  <script type="application/ld+json">{json.dumps(ld, ensure_ascii=False)}</script>\n'
    body = "\n".join(f"        <p>{_e(p)}</p>" for p in a["paragraphs"])
    meta = f'<span class="datum">{_e(a["dateline"])}</span> &middot; ' if a["dateline"] else ""
    main = f"""      <div class="artikel">
        <span class="dachzeile">{_e(a["section"])}</span>
        <h1>{_e(a["title"])}</h1>
        <p class="teaser"><strong>{_e(a["summary"])}</strong></p>
        <div class="meta">{meta}<span class="autor">{_e(a["byline"])}</span></div>
        <div class="artikel-text">
{body}
        </div>
        <p class="hinweis">Haben Sie Hinweise zu diesem Thema? Schreiben Sie an die <a href="/de/impressum.html#kontakt">Redaktion</a>.</p>
      </div>"""
    aside = f"""      <div class="box">
        <h3>Verwandte Artikel</h3>
        <ul>
{_links(related)}
        </ul>
      </div>
      <div class="box">
        <h3>Meistgelesen</h3>
        <ol>
{_links(most_read)}
        </ol>
      </div>"""
    crumbs = [("Startseite", "/de/index.html"), ("Nachrichten", "/de/index.html"), (a["section"], None)]
    return _de_page(a["title"], head, crumbs, main, aside)


def de_index(articles: list[dict]) -> str:
    items = "\n".join(
        f"""        <li><h2><a href="{a["path"]}">{_e(a["title"])}</a></h2><p>{_e(a["summary"])}</p></li>"""
        for a in articles
    )
    main = f"""      <h1>Nachrichten</h1>
      <ul class="teaserliste">
{items}
      </ul>"""
    aside = """      <div class="box"><h3>&Uuml;ber uns</h3><p>Gesundheit Global berichtet &uuml;ber internationale Gesundheitspolitik und Zusammenarbeit.</p></div>"""
    return _de_page("Nachrichten", "", [("Startseite", None)], main, aside)


def de_impressum() -> str:
    main = """      <h1>Impressum</h1>
      <p>Gesundheit Global Verlag GmbH, Friedrichstra&szlig;e 100, 10117 Berlin</p>
      <p>Vertreten durch die Gesch&auml;ftsf&uuml;hrerin Anna Schmidt. Registergericht: Amtsgericht Charlottenburg, HRB 123456 B. Umsatzsteuer-ID: DE123456789.</p>
      <h2 id="kontakt">Kontakt</h2>
      <p>Telefon +49 30 1234 5670, E-Mail <a href="mailto:redaktion@gesundheit-global.example">redaktion@gesundheit-global.example</a></p>
      <h2 id="datenschutz">Datenschutz</h2>
      <p>Diese Demo-Website setzt keine Cookies und speichert keine personenbezogenen Daten.</p>"""
    aside = """      <div class="box"><h3>Service</h3><ul><li><a href="/de/index.html">Startseite</a></li></ul></div>"""
    return _de_page("Impressum", "", [("Startseite", "/de/index.html"), ("Impressum", None)], main, aside)


# --------------------------------------------------------------------------- vi


def _vi_page(title: str, head_extra: str, crumbs: list[tuple[str, str]], main: str, aside: str) -> str:
    crumb_html = " / ".join(
        f'<a href="{href}">{_e(label)}</a>' if href else f"<span>{_e(label)}</span>" for label, href in crumbs
    )
    return f"""<!DOCTYPE html>
<html lang="vi">
<head>
  <meta http-equiv="Content-Type" content="text/html; charset=utf-8">
  <title>{_e(title)} - Sức khỏe &amp; Hợp tác</title>
  <link rel="stylesheet" href="/assets/css/site.css">
{head_extra}</head>
<body>
  <div class="header-wrap">
    <div class="logo"><a href="/vi/index.html">Sức khỏe &amp; Hợp tác</a></div>
    <div class="menu">
      <ul>
        <li><a href="/vi/index.html">Trang chủ</a></li>
        <li><a href="/vi/index.html#thoi-su">Thời sự</a></li>
        <li><a href="/vi/index.html#suc-khoe">Sức khỏe</a></li>
        <li><a href="/vi/index.html#hop-tac-quoc-te">Hợp tác quốc tế</a></li>
        <li><a href="/vi/index.html#y-te-so">Y tế số</a></li>
        <li><a href="/vi/index.html#kinh-te">Kinh tế</a></li>
        <li><a href="/vi/index.html#the-thao">Thể thao</a></li>
        <li><a href="/index.html">Phiên bản khác</a></li>
      </ul>
    </div>
  </div>
  <div class="main-wrap">
    <div class="main-left">
      <div class="breadcrumb">{crumb_html}</div>
{main}
    </div>
    <div class="main-right">
{aside}
    </div>
  </div>
  <div class="footer">
    <div class="footer-menu">
      <a href="/vi/index.html#gioi-thieu">Giới thiệu</a> | <a href="/vi/index.html#lien-he">Liên hệ</a> | <a href="/vi/index.html#quang-cao">Quảng cáo</a> | <a href="/sitemap.xml">Sơ đồ trang</a>
    </div>
    <p>Cơ quan chủ quản: Hội Y học Hợp tác Quốc tế. Tổng biên tập: Nguyễn Văn An.</p>
    <p>Giấy phép hoạt động báo điện tử số 123/GP-BTTTT do Bộ Thông tin và Truyền thông cấp.</p>
    <p>Địa chỉ: Số 138A Giảng Võ, quận Ba Đình, Hà Nội. Điện thoại: 024 3846 0000. Email: <a href="mailto:toasoan@suckhoehoptac.example">toasoan@suckhoehoptac.example</a></p>
    <p class="copyright">&copy; 2008-2026 Báo điện tử Sức khỏe &amp; Hợp tác. Ghi rõ nguồn khi phát hành lại thông tin từ website này.</p>
    <p class="disclaimer">{_e(DISCLAIMER["vi"])}</p>
  </div>
</body>
</html>
"""


def vi_article(a: dict, pool: list[dict]) -> str:
    related, most_read = _sidebar_lists(a, pool)
    head = f"""  <meta name="description" content="{_e(a["summary"])}">
  <meta property="og:type" content="article">
  <meta property="og:title" content="{_e(a["title"])}">
  <meta property="article:published_time" content="{a["published"]}">
  <meta itemprop="datePublished" content="{a["published"]}">
"""
    body = "\n".join(f"        <p>{_e(p)}</p>" for p in a["paragraphs"])
    main = f"""      <div class="detail" itemscope itemtype="https://schema.org/NewsArticle">
        <h1 class="title-detail" itemprop="headline">{_e(a["title"])}</h1>
        <div class="date-time">{_e(a["dateline"])}</div>
        <h2 class="sapo">{_e(a["summary"])}</h2>
        <div class="detail-content" itemprop="articleBody">
{body}
        </div>
        <p class="author"><strong>{_e(a["byline"])}</strong></p>
      </div>"""
    aside = f"""      <div class="box-news">
        <h3>Tin liên quan</h3>
        <ul>
{_links(related)}
        </ul>
      </div>
      <div class="box-news">
        <h3>Đọc nhiều nhất</h3>
        <ol>
{_links(most_read)}
        </ol>
      </div>"""
    crumbs = [("Trang chủ", "/vi/index.html"), ("Tin tức", "/vi/index.html"), (a["section"], None)]
    return _vi_page(a["title"], head, crumbs, main, aside)


def vi_index(articles: list[dict]) -> str:
    items = "\n".join(
        f"""        <li><h2><a href="{a["path"]}">{_e(a["title"])}</a></h2><p>{_e(a["summary"])}</p></li>"""
        for a in sorted(articles, key=lambda x: x["published"], reverse=True)
    )
    main = f"""      <h1>Tin tức</h1>
      <ul class="list-news">
{items}
      </ul>"""
    aside = """      <div class="box-news" id="gioi-thieu"><h3>Giới thiệu</h3><p>Báo điện tử về y tế và hợp tác quốc tế.</p></div>"""
    return _vi_page("Tin tức", "", [("Trang chủ", None)], main, aside)


# --------------------------------------------------------------------------- zh


def _zh_page(
    title: str,
    head_extra: str,
    position: list[tuple[str, str]],
    main: str,
    aside: str,
    gbk: bool,
    charset_style: str = "http-equiv",
) -> str:
    if not gbk:
        charset = '<meta charset="utf-8">'
    elif charset_style == "meta":
        charset = '<meta charset="gbk">'
    else:
        charset = '<meta http-equiv="Content-Type" content="text/html; charset=gbk">'
    pos = " &gt; ".join(f'<a href="{href}">{_e(label)}</a>' if href else _e(label) for label, href in position)
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
  {charset}
  <title>{_e(title)}_健康合作网</title>
  <meta name="keywords" content="卫生健康,国际合作,援外医疗,互联网医院,医院联盟">
  <link rel="stylesheet" href="/assets/css/site.css">
{head_extra}</head>
<body>
  <div class="header-wrap">
    <div class="logo"><a href="/zh/index.html">健康合作网</a><span>卫生健康国际合作资讯平台</span></div>
    <div class="nav">
      <ul>
        <li><a href="/zh/index.html">首页</a></li>
        <li><a href="/zh/index.html#yaowen">要闻</a></li>
        <li><a href="/zh/index.html">国际合作</a></li>
        <li><a href="/zh/index.html#yuanwai">援外医疗</a></li>
        <li><a href="/zh/index.html#hulianwang">互联网医疗</a></li>
        <li><a href="/zh/index.html#huiyi">交流会议</a></li>
        <li><a href="/zh-gbk/index.html">地方动态</a></li>
        <li><a href="/index.html">其他语言</a></li>
      </ul>
    </div>
  </div>
  <div class="main-wrap">
    <div class="main-left">
      <div class="position">当前位置：{pos}</div>
{main}
    </div>
    <div class="main-right">
{aside}
    </div>
  </div>
  <div class="footer">
    <p><a href="/zh/index.html#about">关于我们</a> | <a href="/zh/index.html#contact">联系我们</a> | <a href="/zh/index.html#sitemap">网站地图</a> | <a href="/zh/index.html#copyright">版权声明</a> | <a href="/zh/index.html#jiucuo">网站纠错</a></p>
    <p>主办单位：健康合作网编辑部　地址：广西南宁市青秀区民族大道100号　邮编：530022</p>
    <p>联系电话：0771-1234567　电子邮箱：<a href="mailto:bjb@jiankanghezuo.example">bjb@jiankanghezuo.example</a></p>
    <p class="copyright">&copy; 2008-2026 健康合作网 版权所有　未经授权禁止转载、摘编、复制或建立镜像</p>
    <p>桂ICP备08001234号-1　桂公网安备45010302000123号</p>
    <p class="disclaimer">{_e(DISCLAIMER["zh"])}</p>
  </div>
</body>
</html>
"""


def zh_article(a: dict, pool: list[dict], gbk: bool) -> str:
    related, most_read = _sidebar_lists(a, pool)
    head = f'  <meta name="description" content="{_e(a["summary"])}">\n'
    if a["published"]:
        head += f'  <meta name="pubdate" content="{a["published"]}">\n'
    head += f'  <meta name="ContentSource" content="{_e(a["source"])}">\n'
    paragraphs = list(a["paragraphs"])
    if a.get("dateline_in_body"):
        # undated page: the date exists only as the first line of the body text
        info = f"来源：{a['source']}"
        paragraphs.insert(0, a["dateline_in_body"])
    else:
        info = a.get("info_line") or f"发布时间：{a['dateline']}　来源：{a['source']}"
    body = "\n".join(f"          <p>　　{_e(p)}</p>" for p in paragraphs)
    main = f"""      <div class="article">
        <h1>{_e(a["title"])}</h1>
        <div class="info">{_e(info)}　【字体：<a href="#">大</a> <a href="#">中</a> <a href="#">小</a>】　<a href="javascript:window.print()">打印</a></div>
        <div class="TRS_Editor">
{body}
        </div>
        <div class="editor">（责任编辑：李明）</div>
      </div>"""
    aside = f"""      <div class="side-box">
        <h3>相关新闻</h3>
        <ul>
{_links(related)}
        </ul>
      </div>
      <div class="side-box">
        <h3>热点排行</h3>
        <ol>
{_links(most_read)}
        </ol>
      </div>
      <div class="side-box"><h3>栏目导航</h3><ul><li><a href="/zh/index.html">国际合作</a></li><li><a href="/zh-gbk/index.html">地方动态</a></li></ul></div>"""
    if gbk:
        position = [("首页", "/zh/index.html"), ("地方动态", "/zh-gbk/index.html"), ("正文", None)]
    else:
        position = [("首页", "/zh/index.html"), ("国际合作", "/zh/index.html"), (a["section"], None)]
    return _zh_page(a["title"], head, position, main, aside, gbk)


def zh_listing(items: list[dict], heading: str, pager: str, gbk: bool, position: list[tuple[str, str]]) -> str:
    lis = "\n".join(
        f"""        <li><a href="{a["path"]}" title="{_e(a["title"])}">{_e(a["title"])}</a><span class="date">{a["event_date"] or a["published"][:10]}</span><p>{_e(a["summary"])}</p></li>"""
        for a in items
    )
    main = f"""      <div class="list-box">
        <h2 class="column-title">{_e(heading)}</h2>
        <ul class="list">
{lis}
        </ul>
        <div class="page">{pager}</div>
      </div>"""
    aside = """      <div class="side-box" id="about"><h3>关于我们</h3><p>健康合作网是报道卫生健康领域国际合作的专业资讯平台，关注援外医疗、互联网医院、医院合作联盟和跨境卫生合作。</p></div>
      <div class="side-box"><h3>栏目导航</h3><ul><li><a href="/zh/index.html">国际合作</a></li><li><a href="/zh-gbk/index.html">地方动态</a></li></ul></div>"""
    # the GBK listing declares <meta charset="gbk">, the GBK articles the http-equiv form
    return _zh_page(heading, "", position, main, aside, gbk, charset_style="meta")


# --------------------------------------------------------------------------- feeds


def rss_feed(articles: list[dict]) -> str:
    items = []
    newest = max(_dt(a["published"]) for a in articles)
    for a in sorted(articles, key=lambda x: x["published"], reverse=True):
        items.append(f"""    <item>
      <title>{_e(a["title"])}</title>
      <link>{BASE}{a["path"]}</link>
      <guid isPermaLink="true">{BASE}{a["path"]}</guid>
      <pubDate>{format_datetime(_dt(a["published"]))}</pubDate>
      <category>{_e(a["section"])}</category>
      <description>{_e(a["summary"])}</description>
    </item>""")
    body = "\n".join(items)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">
  <channel>
    <title>Asia Health Dispatch - Latest news</title>
    <link>{BASE}/en/index.html</link>
    <atom:link href="{BASE}/en/feed.xml" rel="self" type="application/rss+xml"/>
    <description>Health news from Asia and the world</description>
    <language>en</language>
    <lastBuildDate>{format_datetime(newest)}</lastBuildDate>
{body}
  </channel>
</rss>
"""


# Atom requires <updated> on every entry; the article without date metadata gets
# only <updated> (no <published>) so that its page still tests dateline extraction.
DE_UNDATED_FEED_UPDATED = "2023-11-14T17:00:00+01:00"


def atom_feed(articles: list[dict]) -> str:
    entries = []
    for a in articles:
        updated = a["published"] or DE_UNDATED_FEED_UPDATED
        published = f"\n    <published>{a['published']}</published>" if a["published"] else ""
        slug = a["path"].rsplit("/", 1)[-1].removesuffix(".html")
        entries.append(f"""  <entry>
    <title>{_e(a["title"])}</title>
    <link rel="alternate" type="text/html" href="{BASE}{a["path"]}"/>
    <id>tag:gesundheit-global.example,2008:{slug}</id>{published}
    <updated>{updated}</updated>
    <author><name>{_e(a["byline"].removeprefix("Von ").removeprefix("von "))}</name></author>
    <category term="{_e(a["section"])}"/>
    <summary>{_e(a["summary"])}</summary>
  </entry>""")
    newest = max(a["published"] or DE_UNDATED_FEED_UPDATED for a in articles)
    body = "\n".join(entries)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="de">
  <title>Gesundheit Global - Nachrichten</title>
  <subtitle>Internationale Gesundheitspolitik und Zusammenarbeit</subtitle>
  <link rel="self" type="application/atom+xml" href="{BASE}/de/atom.xml"/>
  <link rel="alternate" type="text/html" href="{BASE}/de/index.html"/>
  <id>tag:gesundheit-global.example,2008:nachrichten</id>
  <updated>{newest}</updated>
  <rights>&#169; 2008-2026 Gesundheit Global Verlag GmbH</rights>
{body}
</feed>
"""


def sitemap_index() -> str:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <sitemap>
    <loc>{BASE}/sitemap-vi.xml</loc>
    <lastmod>2024-06-05T09:00:00+07:00</lastmod>
  </sitemap>
</sitemapindex>
"""


def news_sitemap(articles: list[dict]) -> str:
    urls = "\n".join(
        f"""  <url>
    <loc>{BASE}{a["path"]}</loc>
    <lastmod>{a["published"]}</lastmod>
    <news:news>
      <news:publication>
        <news:name>Sức khỏe &amp; Hợp tác</news:name>
        <news:language>vi</news:language>
      </news:publication>
      <news:publication_date>{a["published"]}</news:publication_date>
      <news:title>{_e(a["title"])}</news:title>
    </news:news>
  </url>"""
        for a in articles
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
{urls}
</urlset>
"""


ROBOTS = f"""# coopwatch demo site: everything may be crawled.
User-agent: *
Allow: /

Sitemap: {BASE}/sitemap.xml
"""


def root_index() -> str:
    return """<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>coopwatch demo news portals</title>
  <link rel="stylesheet" href="/assets/css/site.css">
</head>
<body>
  <header class="site-header"><h1>coopwatch demo news portals</h1></header>
  <div class="container">
    <main>
      <p>Four small news portals about international health cooperation, served locally for the coopwatch demo and crawler tests. The stories are fictionalised.</p>
      <ul>
        <li><a href="/en/index.html">Asia Health Dispatch</a> (English) &ndash; <a href="/en/feed.xml">RSS feed</a></li>
        <li><a href="/de/index.html">Gesundheit Global</a> (Deutsch) &ndash; <a href="/de/atom.xml">Atom-Feed</a></li>
        <li><a href="/vi/index.html">Sức khỏe &amp; Hợp tác</a> (Tiếng Việt) &ndash; <a href="/sitemap.xml">Sitemap</a></li>
        <li><a href="/zh/index.html">健康合作网</a> (中文) &ndash; <a href="/zh-gbk/index.html">地方动态 (GBK)</a></li>
      </ul>
    </main>
  </div>
  <footer class="site-footer"><p class="copyright">&copy; 2008-2026 coopwatch demo</p></footer>
</body>
</html>
"""


# --------------------------------------------------------------------------- build


def build(out: Path = SITE_DIR) -> list[Path]:
    """Write the whole site into ``out`` (replacing it) and return the files written."""
    files: dict[str, bytes] = {}

    def put(path: str, text: str, encoding: str = "utf-8") -> None:
        files[path.lstrip("/")] = text.encode(encoding)  # strict: fails loudly on unencodable text

    put("assets/css/site.css", CSS)
    put("index.html", root_index())
    put("robots.txt", ROBOTS)

    for a in en.ARTICLES:
        put(a["path"], en_article(a, en.ARTICLES))
    put("en/index.html", en_index(en.ARTICLES))
    put("en/feed.xml", rss_feed(en.ARTICLES))

    for a in de.ARTICLES:
        put(a["path"], de_article(a, de.ARTICLES))
    put("de/index.html", de_index(de.ARTICLES))
    put("de/impressum.html", de_impressum())
    put("de/atom.xml", atom_feed(de.ARTICLES))

    for a in vi.ARTICLES:
        put(a["path"], vi_article(a, vi.ARTICLES))
    put("vi/index.html", vi_index(vi.ARTICLES))
    put("sitemap.xml", sitemap_index())
    put("sitemap-vi.xml", news_sitemap(vi.ARTICLES))

    for a in zh.ARTICLES:
        put(a["path"], zh_article(a, zh.ARTICLES, gbk=False))
    by_path = {a["path"]: a for a in zh.ARTICLES}
    page1 = [by_path["/zh/content/2024-09/19/content_1003.html"], by_path["/zh/content/2024-05/20/content_1002.html"]]
    page2 = [by_path["/zh/content/2023-11/06/content_1001.html"], by_path["/zh/content/2022-10/12/content_1004.html"]]
    pos = [("首页", "/zh/index.html"), ("国际合作", None)]
    put(
        "zh/index.html",
        zh_listing(
            page1,
            "国际合作",
            '<span>首页</span> <span>上一页</span> <span class="current">1</span> <a href="/zh/list_2.html">2</a> '
            '<a href="/zh/list_2.html">下一页</a> <a href="/zh/list_2.html">尾页</a>　共2页',
            gbk=False,
            position=pos,
        ),
    )
    put(
        "zh/list_2.html",
        zh_listing(
            page2,
            "国际合作",
            '<a href="/zh/index.html">首页</a> <a href="/zh/index.html">上一页</a> <a href="/zh/index.html">1</a> '
            '<span class="current">2</span> <span>下一页</span> <span>尾页</span>　共2页',
            gbk=False,
            position=pos,
        ),
    )

    for a in zh.GBK_ARTICLES:
        put(a["path"], zh_article(a, zh.GBK_ARTICLES, gbk=True), encoding="gbk")
    put(
        "zh-gbk/index.html",
        zh_listing(
            zh.GBK_ARTICLES,
            "地方动态",
            '<span class="current">1</span>　共1页',
            gbk=True,
            position=[("首页", "/zh/index.html"), ("地方动态", None)],
        ),
        encoding="gbk",
    )

    if out.exists():
        shutil.rmtree(out)
    written = []
    for rel, data in sorted(files.items()):
        target = out / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        written.append(target)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m coopwatch.demo.build_site", description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=SITE_DIR)
    args = parser.parse_args(argv)
    written = build(args.out)
    print(f"wrote {len(written)} files to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
