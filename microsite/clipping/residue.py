"""A page's furniture around the story: navigation, sharing, comments, teasers, banners."""

from __future__ import annotations

import functools
import re
import unicodedata

from .captions import _IMAGE_MARKER, STAMP_TAIL
from .words import _fold, _n_words

# Whole lines that are a web page's furniture, not article text, in the languages of
# the coverage (English, Russian, Italian, Portuguese, Spanish, French, German). Matched
# case-insensitively against a full line; editors extend the list with
# [tool.microsite] residue_patterns.
# "In photos: ...", "Live updates: ...": another story's teaser, or, first on a page that has
# no other headline, the page's own headline with its label.
_TEASER = (r"(Live updates|Live|LIVE|In photos|In pictures|Gallery|Photo gallery|Fotogallery|Galeria|"
           r"Watch|Listen|Podcast|Newsletter|Opinion|Analysis|Breaking|Exclusive)\s*[:|]\s*[^.!?]{1,120}")


_NETWORKS = (r"(Facebook|Twitter|X|Instagram|YouTube|TikTok|Pinterest|LinkedIn|WhatsApp|Telegram|Reddit|E-?mail|VK|"
             r"VKontakte|Вконтакте|"
             r"Одноклассники|Flipboard|Messenger|Viber)")


# A relative time stamp: "3 hours ago", "5 месяцев назад", "vor 3 Tagen", "il y a 2 jours",
# "hace 3 días", "há 2 dias", "2 giorni fa". Alone on a line it is residue; after a headline, cut off.
RELATIVE_TIME = (r"(?:\d{1,2} (?:minutes?|hours?|days?|weeks?|months?) ago|"
                 r"\d{1,2} (?:месяц\w*|дн\w*|день|час\w*|минут\w*|недел\w*|год\w*|лет) назад|"
                 r"vor \d{1,2} (?:Minuten|Stunden|Tagen|Wochen|Monaten)|"
                 r"il y a \d{1,2} (?:minutes?|heures?|jours?|mois)|"
                 r"hace \d{1,2} (?:minutos?|horas?|días?|meses?)|há \d{1,2} (?:minutos?|horas?|dias?|meses?)|"
                 r"\d{1,2} (?:minuti|ore|giorni|mesi) fa)")


DEFAULT_RESIDUE = (
    # a picture's stamp with no caption before it: "- Sputnik Srbija, 1920, 24.01.2022" (its site, width, date)
    r"[-–]?\s*[^,\n]{2,40}" + STAMP_TAIL,
    # what a page's code prints where a value is missing or still loading, and raw image tags
    r"None|null|undefined|NaN",
    r"(Loading|Загрузка|Cargando|Carregando|Caricamento|Chargement|Wird geladen)( comments| more| video)?(\.{0,3}|…)"
    r"( Advertisements?)?",  # "Loading... Advertisements": a lazy ad slot's two labels on one line
    r"<(image|img)\b.*|.*\bdata:image/\S+.*",
    # a promotion with a messenger and a phone number: "... silakan WhatsApp ke nomor 0811 9787 670 ..."
    r".{0,200}\b(WhatsApp|Telegram|Viber|WeChat)\b.{0,120}?\b0?\d{3,4}[ -]?\d{3,4}[ -]?\d{3,4}\b.{0,160}",
    # pointers to a video or gallery the copy lost: "Check out the trailer below:"
    r"(Check out|Watch|See|View|Take a look at|Have a look at) (the|our|this) (trailer|video|clip|photos|gallery|"
    r"footage)(( for [^.!?]{1,60})?( below| here| above)[:.]?|[:.]?|\b[^.!?]{0,80}:)",  # not a headline's "... for X"
    r"(?=.{0,200}$).*[\w.+-]+@[\w-]+\.[a-z]{2,}\b.*",  # a contact line: "Sputnik feedback@example.com +7495..."

    r"(Read more|Read also|Also read|See also|More|Recommended|Related|Leia mais|Leggi anche|Lesen Sie auch|"
    r"Lire aussi|Lee también|Читайте также|Prečítajte si tiež|Přečtěte si také|Czytaj (także|też)|Citește și|"
    r"Διαβάστε επίσης|Прочетете още|Pročitajte (još|i)|Lees ook|Ayrıca okuyun|Читайте також|Relacionado|"
    r"Relacionada|Correlato|Verwandt|Connexe|Le puede interesar|Te puede interesar|Pode interessar)\s*:\s.{1,200}",
    r"[^\s/]{1,120}( [^\s/]{1,30}){0,5}\.(jpe?g|png|gif|webp|avif)",  # a picture's file name: "Tom Cruise.jpg"
    r"(\S+ ){0,6}https?://\S+",  # a link, perhaps with where it leads: "from Movies : NPR https://..."
    r".*(/html/head/|/@content\b).*",  # a scraper's XPath: "/html/head/meta[@name='og:title']/@content"
    r"(>>|»»|››)\s*:?\s.{1,160}",  # ">>: <another story's headline>"
    r"\[ad_\d+\]",  # a CMS's advertising slot
    r"!\[[^\]]*\]\([^)]*\)",  # a Markdown picture: "![alt](https://.../logo.png)"
    r"(Изображение|Фото) взят[оа]? (из|с|со):? .{1,80}",  # "Изображение взято с: Instagram@..."
    r"Lire toute l['’]actualité\b.{0,80}",
    r"This (article|story) is more than \d+ (years?|months?) old",
    r"(Learn|Find out|Read) more about [^.!?]{1,80} (by following|on|at) .{1,200}",  # "... by following @space_station"
    r".{0,40}[・·|]\s*\d+ (days?|hours?|minutes?|weeks?|months?) ago",  # "AEROSPACE & DEFENSE ・ 7 DAYS AGO"
    r"\d+ Min\.?( Lesezeit)?",  # a reading time in German
    # an embedded post's place-holder: "Voir cette publication sur Instagram"
    r"(View this post on|Voir cette publication sur|Ver esta publicación en|Visualizza questo post su|"
    r"Ver essa publicação no|Diesen Beitrag auf|Посмотреть эту публикацию в) Instagram( ansehen)?\b.{0,160}",
    r"(Mais informações|Fonte|Foto|Fuente|Source|Quelle|Fonti|Источник|Créditos?|Last updated|Updated|Published|"
    r"Posted|Aggiornato|Atualizado|Actualizado|Aktualisiert|Обновлено):",  # a label left empty
    r"[-–—•·|_*?]+( [-–—•·|_*?]+)*",  # a separator alone on its line (or the "?? ??" of lost glyphs)
    r"(Read more|Continue reading|Leer más|Leia mais|Leggi (di più|tutto)|Weiterlesen|Lire la suite|Читать далее|"
    r"Czytaj dalej)\s*(\.{3}|…|»|›|>)?",  # "Read more", "Read more..."
    # a blog platform's counters and lists: "0 views0 comments", "Recent Posts", "See All"
    r"\d+ views?( ?\d+ comments?)?|Recent (Posts|Articles)|See All|Post not marked as liked",
    # a blog's sidebar widgets, under their default names
    r"Recent Comments|Свежие (записи|комментарии)|Последние (записи|комментарии)|Commenti recenti|Articoli recenti|"
    r"Comentarios recientes|Entradas recientes|Comentários recentes|Posts recentes|Neueste Kommentare|"
    r"Neueste Beiträge|Commentaires récents|Articles récents",
    # a feed mirror's source block: "Source RSS or Atom Feed", "Feed Location http://..."
    r"External Content|Source RSS or Atom Feed|Feed (Location|Title|Link)\b.{0,120}",
    r"\d{1,2}:\d{2}(?=[A-ZÀ-ÞА-ЯЁ]).{3,160}",  # a news ticker's line: "17:17Sports - ..."
    # a video player's furniture
    r"(Vidéo suivante|Next video|Siguiente video|Próximo vídeo|Prossimo video|Nächstes Video)\b.{0,40}|"
    r"(Autres|Plus de|More|Otros|Outros|Altri|Weitere) (vidéos|videos|vídeos|video)|"
    r"Vos réactions doivent respecter nos CGU\.?",
    r"\+ ?[A-ZÀ-Þ][^.!?]{3,160}",  # "+ Apple atualiza linha de AirPods": a list of links to other stories
    r"(\S+ ){0,3}\S*_\d+\b( \S+){0,4}",  # a picture's place-holder in a CMS: "Space _1  H x W"
    # navigation, sharing, promotion
    r"More (on|about|from) [^.!?]{1,80}",
    r"(\w+ ){0,5}Highlights",
    r"(Read|See|Watch|Listen) (more|also|next)\b[^.!?]{0,80}|(Read|See|Watch|Listen) (more )?(on|at) [\w-]+(\.[\w-]+)+|"
    r"Read about:? [^.!?]{1,80}",
    r"Reading now|Now reading|Read next|Up next|Mehr|Weitere Artikel",
    r"(Related|Recommended|Most read|Most popular|Trending|Top stories|Latest|Popular)"
    r"( (articles?|stories|news|content|posts?|videos?))?(:.{0,80})?",
    r"(Advertisement|Advertising|Advert|Sponsored( content)?|Ad|Anzeige|Werbung|Pubblicità|Publicidade|Publicité|"
    r"Реклама)( \d{1,3})?",
    r"Also on [\w-]+\.(com|ru|net|org)\b.{0,200}|Like this story\?.{0,80}|Share it with a friend!?",
    # did the reader like it, and where to share it: "Gostou do conteúdo?", "Share it on your Instagram."
    r"(Did you (like|enjoy) (this|the) (article|story|post|content)|Liked (this|the) (article|story|post)|"
    r"Gostou d[oa] (conteúdo|matéria|artigo|texto|post)|¿?Te (gustó|ha gustado) (este|el) (artículo|contenido)|"
    r"Ti è piaciuto (questo|l['’]) ?articolo|Vous avez aimé cet article|Hat Ihnen (dieser|der) Artikel gefallen|"
    r"Понравилась статья|Понравился материал)\s*\??!?",
    r"(Share|Compartilhe|Compartilhar|Partilhe|Comparte|Compartir|Condividi|Partagez|Teilen Sie|Поделитесь)\b"
    r"[^.!?]{0,80}\b" + _NETWORKS + r"\w*[^.!?]{0,30}[.!]?",
    # a calendar plugin's furniture, and an event's hours alone: "« All Events", "This event has passed."
    r"([•·-]\s*)?((«\s*)?All Events|This event has passed\.?|Loading Events)|"
    r"\d{1,2}:\d{2}\s*[ap]m\s*[-–]\s*\d{1,2}:\d{2}\s*[ap]m",
    r".{0,40}newsletter icon|What you need to know, summarized\b.{0,80}|By registering for the newsletter\b.{0,200}",
    r"(Share|Tweet|Email|Print|Copy link|Save|Compartilhe|Compartilhar|Condividi|Teilen|Поделиться)"
    r"( (this|on|no|su|auf|via|article|story|artigo) ?\w*)*:?",
    r"(Subscribe|Sign up|Follow us|Click here|Download (our|the) app)\b[^.]{0,80}",
    r"(Continue|Keep) reading[^.]{0,40}",
    r"Image:?|Photo:?|Video:?|Foto:?|Vídeo:?|Фото:?|Видео:?|(文章)?图片|写真|사진|Ảnh:?|海报|海報|剧照|劇照|截图|截圖",
    # a picture's numbered alt text: "<headline> - Ảnh 1.", a zoom button: "Volledig scherm"
    r".{0,200}\s[-–]\s(Ảnh|Photo|Foto|Bild|Фото|Image)\s\d{1,2}\.?|Volledig scherm|Full screen|Vollbild|Plein écran|"
    r"Pantalla completa|Schermo intero|Tela cheia",
    r"(\S+ ?바로가기\s*)+|本文へ(スキップ|移動)|跳(到|至)(主要)?(内容|內容|正文)|"
    r"All news|Home|News|Menu|Search|Back to top|Skip to (main )?content|(Tablet|Mobile|Main|Site|Desktop) menu",
    r"Support [\w ’'.-]{2,40}!",  # "Support The Daily X!": a fund-raising banner
    r"(Home|Start|Startseite|Início|Главная)\s*[>›»/|].{0,120}",
    r"[\w .&'-]{1,40}( [>›»|] [\w .&'-]{1,40}){2,}",  # Home > World > Europe
    r"Tags?:.{0,200}|Topics?:.{0,200}|Temas?:.{0,200}|Argomenti:.{0,200}|Themen:.{0,200}|Теги:.{0,200}",
    r"Source link|(Source|Fonte|Quelle|Fuente):? \w+( \w+)?\.?|Источник:? \S+|Sumber ?:? [\w ]{1,30}|"
    r"(Video|Photo|Foto) (Editor|Editing|Redaktur):? [\w .'-]{1,60}",
    # Indonesian, Vietnamese and Russian furniture: other news, channels, comment forms
    r"(Berita lainnya|Baca juga|Tin liên quan|Xem thêm|Đọc thêm)\b.{0,160}|Gabung ke (Channel|Saluran)\b.{0,160}|"
    r"(Оставлять|Оставить|Вы можете оставить) комментари\w*.{0,160}|Вам необходимо (войти|авторизоваться)\b.{0,80}|"
    r"комментари\w*\s*\(\d+\)",
    # teasers for other stories
    _TEASER,
    r"(Read also|See also|Also read|Leggi anche|Leia também|Leia mais|Veja também|Lesen Sie auch|"
    r"Mehr zum Thema|Auch interessant|Lire aussi|Lea también|Читайте также|Смотрите также|"
    r"Ещё по теме|По теме|Материалы по теме|Potrebbe interessarti|Ti potrebbe interessare)"
    r"(\b|(?-i:(?=[A-ZÀ-ÞА-ЯЁ]))).{0,160}",  # or glued to the teaser's title: "Read alsoThe crazy bet of ..."
    # comment forms
    r"Leave a (Reply|Comment)( Cancel reply)?|Cancel reply|Post Comment|Submit( Comment)?|"
    r"\d* ?Comments?( \(\d+\))?|No comments:?|Comments are closed\.?|Show comments|"
    r"Your email address will not be published\..{0,120}|Required fields are marked.{0,10}|"
    r"You must be logged in to post a comment\.?|Log in to (comment|reply)\.?|"
    r"(Name|Email|Website|Comment|Nome|Messaggio|Kommentar|Имя)\s*\*?|"
    r"Save my name, email, and website in this browser.{0,80}|"
    r"Lascia un commento|Deixe (um comentário|uma resposta)|Schreibe einen Kommentar|"
    r"Оставить комментарий|Комментарии( \(\d+\))?|Kommentare( \(\d+\))?|Commenti( \(\d+\))?|Comentários( \(\d+\))?",
    # copyright and reproduction notices
    r"(©|\(c\)|Copyright)\s.{0,160}|©\w.{0,80}",
    r".{0,120}(All rights reserved|Alle Rechte vorbehalten|Todos os direitos reservados|"
    r"Riproduzione riservata|Tutti i diritti riservati|Все права защищены|Tous droits réservés|"
    r"Reproduction reserved|Reprodução proibida)\.?.{0,80}",
    # time stamps and reading times on their own line
    r"(Updated|Published|Posted|Aggiornato|Atualizado|Обновлено)?\s*\d{1,2}[:.h]\d{2}( ?[ap]\.?m\.?)?( [A-Z]{2,5})?",
    r"(Updated )?" + RELATIVE_TIME + r"|\d{1,2} min(ute)?s? read|Reading time:? .{1,20}|"
    r"Tempo di lettura:? .{1,20}|Время чтения:? .{1,20}",
    # a Turkish page's comment form and next-story label: "YORUMLAR", "En az 10 karakter gerekli", "Sıradaki haber:"
    r"Yorumlar|Hızlı yorum( yap)?|En az \d+ karakter( gerekli)?\.?|Sıradaki haber:?.{0,160}",
    # a newsletter's box in Macedonian, Serbian, Bulgarian: "Претплатете се на нашиот билтен!"
    r"(Претплатете се|Претплати се|Абонирайте се)\b.{0,120}|(на )?нашиот билтен!?|"
    r"Добивајте ги најдобрите стории\b.{0,160}",
    # a site's rule for reusing its text: "При использовании материалов ссылка обязательна" (and in
    # Ukrainian, Bulgarian, Serbian, Macedonian)
    r"При (использовании|перепечатке|використанні|използване|коришћењу|користење)\b.{0,300}",
    # an affiliate disclosure, a newsletter's confirmation, a transcript's credit, an audio file's type
    r"(We|We may|This (post|article|page) may) (earn|contain)\b[^.]{0,80}(commission|affiliate)\b.{0,160}|"
    r"As an Amazon Associate\b.{0,160}",
    r"You have successfully (registered|subscribed)\b.{0,80}|"
    r"Please click (on )?the link in the (e-?mail|message)\b.{0,160}",
    r"(.{0,80}\. )?Transcript provided by [^.]{2,40}\.?( Copyright [^.]{2,40}\.?)?",
    r"audio ?/ ?(mpeg|mp3|ogg|wav)|video ?/ ?mp4",
    r"Think your friends would be interested\?.{0,40}",
    # the notice Russian law asks of sites that recommend content, on every page of them
    r"На (информационном )?ресурсе применяются рекомендательные технологии.{0,300}",
    r"pic\.twitter\.com/\S+|https?://t\.co/\S+",
    r"Trending( now)?|Go to (the )?(main site|home ?page)|Filed under:.{1,60}|Post views:? [\d,.]+|\d+ comments?|"
    r"Show more|Show less|(Show More )?Show Less|Our Standards:.{0,80}|Already a subscriber\??( Log in| Sign in)?\.?|"
    r"(Subscribe|Log in|Sign in) to (continue|read).{0,60}|"
    r"Follow [\w .&'-]{1,40} on (Twitter|X|Facebook|Instagram|Telegram|YouTube|Google News)\b.{0,80}",
    # a line of nothing but social networks' names: the share buttons
    # ("Ícone Whatsapp Ícone X (Tweeter)": each with its icon's alt text)
    r"(?=(.*?\b" + _NETWORKS + r"\b){2})"
    r"((Share|Ícone|Icon|Icône|Icono|Logo|Tweeter|" + _NETWORKS + r")[\s,|·•()]*){2,}",
    r"View this post on Instagram|A post shared by .{1,80}",
    # subscriptions, paywalls and log-ins, in the languages of the coverage
    r"(\d+ )?(Subscribe|Abbonati|Assine|Assina|Abonnieren|Abonnez-vous|Suscríbete|Подпишитесь|Подписывайтесь)"
    r"\b.{0,120}",
    # a cookie banner and its buttons: "This site uses cookies. By continuing ...", "На сайте используются cookies"
    r"(?=.{0,160}\b(cookies?|куки|ciastecz\w*|sütik?|kolačić\w*|çerez\w*)\b).{0,40}\b(site|website|web|sito|sitio|"
    r"Website|Webseite|Seite|сайт\w*|strona|stron\w*|oldal\w*|navig\w*|brows\w*|experience|privacy|Datenschutz\w*|"
    r"polic\w*|polític\w*|politik\w*|gizlilik\w*|политик\w*|consent\w*|accept\w*|akzept\w*|принима\w*|продолжая)\b.{0,300}",
    r"OK|Accept( all)?( cookies)?|Agree|I agree|Got it|Принять|Согласен|Понятно|Accetta|Aceitar|Aceptar|"
    r"Akzeptieren|Alle akzeptieren|Accepter|Tout accepter|Zgadzam się|Akceptuję|Elfogadom|Kabul et",
    r"\d{1,7}|1[5-9]\d{8}",  # a count alone on its line (votes, shares, views), or a Unix time stamp
    r"(#[^\W\d_][\w-]*\s*){1,8}",  # a line of hashtags: "#Filmed #Kommersant"
    # a note on the picture, a search box's prompt, an ad slot's name
    r"(Note: )?(The )?(Photos?|Images?|Pictures?) (is |are )?(used )?(for|only for) illustrati(on|ve) "
    r"purposes( only)?\.?",
    r"(Hi, )?What are you looking for\?|ad[-_ ]?image",
    r"((If you )?like this story[?,] )?Share it with a friend!?|Leave a Rep(ly|lay)",
    # a weather or currency widget's values: "+20°", "-3 °C", "510.81", "$", "¥"
    r"[+\-−]?\d{1,3}\s?°\s?[CF]?|\d{1,6}[.,]\d{1,4}|[$€£¥₽₸₴₺]",
    r"(?P<promoted>.{2,40}?) ?(?:Icon|Logo|アイコン|图标|圖示|아이콘) ?(?P=promoted)",  # "X App Icon X App"
    # a browser notice, a CMS's comment heading and its anti-spam question
    r"(IE|Internet Explorer) ?\d* is not supported\b.{0,160}|.{0,40}\bvisit our site on another browser\b.{0,80}|"
    r"\d+ (thoughts?|responses?|replies|comments?) (on|to) .{1,160}|"
    r"This question is for testing whether (or not )?you are a human visitor.{0,160}|"
    r"Solve this simple math problem.{0,160}|\d{1,3} ?[+−-] ?\d{1,3} ?= ?\??",
    r"사진\s?\d{1,2}\.\s.{0,60}",  # a Korean page's numbered picture credit: "사진3. 사진 AP연합"
    # a share button's confirmation: "URL copied", "คัดลอก URL แล้ว", "链接已复制"
    r"(URL|Link|Ссылка|링크|リンク|链接|連結)\s?(copied|kopiert|copiado|copiato|copié|скопирована|복사(되었습니다|됨)?|"
    r"をコピーしました|コピーしました|已复制|已複製)\.?|คัดลอก\s?(URL|ลิงก์)\s?แล้ว|Copy link|Copiar (enlace|link)|"
    r"링크 복사",
    # a consent banner in Chinese, Japanese or Korean: the site, and privacy or cookies
    r"(?=.{0,200}(網站|网站|本站|サイト|사이트|同意|동의|瀏覽|浏览))(?=.{0,200}(隱私|隐私|個人資料|个人信息|クッキー|"
    r"[Cc]ookie|쿠키|개인정보)).{1,200}|Your browser does not (appear to )?support\b.{0,120}",
    # a prompt to switch to the site's edition in another language
    r".{0,120}(に移動しますか|へ移動しますか|(Would|Do) you (like|want) to go to|Voulez-vous (aller|accéder)|"
    r"¿(Quieres|Desea) ir a|Möchten Sie zu|phiên bản mobile|mobile version|versión móvil|version mobile|"
    r"мобильную версию).{0,160}|下載|下载|ダウンロード|다운로드",
    # where an embedded picture came from: "Via Instagram / @juliaperesild"
    r"(Via|Source|Fonte|Fuente|Quelle|Источник|Źródło|Zdroj|Forrás|Kaynak):? (Instagram|Twitter|X|Facebook|Telegram|"
    r"YouTube|TikTok|VK|Вконтакте)( ?/ ?@?[\w.]+)?",
    # an aggregator's disclaimer: "The website X is an aggregator of news from open sources. ..."
    r".{0,80}\b(is an aggregator of news|is a news aggregator|automatically generated from|auto-generated from a "
    r"syndicated feed|You can send a complaint)\b.{0,400}",
    r"(Последние новости|Latest news|Ultime notizie|Últimas notícias|Últimas noticias|Neueste Nachrichten|"
    r"Dernières nouvelles|Najnowsze wiadomości|Son haberler|Все новости|Tutte le notizie|Todas las noticias|"
    r"Todas as notícias|Alle Nachrichten|Toutes les actualités|"
    r"Wszystkie wiadomości|Všechny zprávy|Tüm haberler|Όλες οι ειδήσεις)",
    r".{0,40}\b(riservat[oa] agli abbonati|exclusivo (para|de) assinantes|nur für Abonnenten|"
    r"только для подписчиков|for subscribers only)\b.{0,40}",
    r"(Per continuare a leggere|Para continuar (a ler|lendo)|Um weiterzulesen|Чтобы продолжить чтение|"
    r"To continue reading|Continue a ler|Continua a leggere|Weiterlesen mit)\b.{0,80}",
    r"(Sei già abbonato|Già abbonato|Já é assinante|Já és assinante|Sie haben bereits ein Abo|Bereits Abonnent|"
    r"Уже подписаны|Already have an account)\??.{0,40}",
    r"(Bitte melden Sie sich an|Jetzt (\d+ \w+ )?(kostenlos |gratis )?(testen|lesen|abonnieren|sichern|registrieren))"
    r"\b.{0,80}|[\w-]{2,30}-Abo\b.{0,80}|.{0,40}\bgratis lesen\b.{0,40}",
    r"(Accedi|Entrar|Anmelden|Login|Войти|Registrati|Cadastre-se|Registrieren)( (o|ou|oder|или|or) \w+)?",
    # comment forms and sharing, in those languages
    r"(Para comentar|Per commentare|Um zu kommentieren|Чтобы оставить комментарий|To comment)\b.{0,80}",
    r"(Compartilhe|Compartilhar|Partilhar|Partilhe|Condividi|Teilen|Поделиться)( (esta|este|essa|questo|"
    r"questa|diesen|den) \w+)?:?",
    r"(Receba|Recebe) (as )?(notícias|novidades|alertas).{0,80}|Mais lidas|Mais lidos|Le più lette|"
    r"Meistgelesen|Самое читаемое|Популярное",
    r"(Zur Startseite|Zurück zur Startseite|Torna alla home|Voltar (à|para a) (página inicial|home)|На главную)",
    r"(Versione stampabile|Versão para impressão|Druckversion|Версия для печати|Print version|Print this article)",
    r"(Читать|Читайте) (полностью|далее|дальше|ещё|также)\b.{0,80}|Leggi tutto|Leia mais|Weiterlesen|Read more",
    r"(Нашли|Заметили) (опечатку|ошибку)\?.{0,100}|.{0,60}\bCtrl\s*\+\s*Enter\b.{0,40}",
    r"[A-Z]{2,4}( ?// ?[A-Z]{2,4})+",  # Lusa's editors' initials: "JMR // VM"
    r"[A-Z][\w.&-]*(\s*/\s*[A-Z][\w.&-]*)+\s*\|",  # "ANSA/EPA |": a credit whose picture is gone
    r"Please enter your (comment|name|email).{0,40}|(Nessun|Nenhum|Kein|Aucun|Sin|Нет) (commento|comentário|"
    r"Kommentar|commentaire|comentario|комментариев):?|(Lascia|Deixe|Deja|Laissez) (un|um|una) "
    r"(commento|comentário|comentario|commentaire)\b.{0,200}|Total comments:? \d+",
    r"[·•|]?\s*\d+ (min|minuti|minutos|Minuten|minutes|минут[ы]?)\.? (read|di lettura|de leitura|de lectura|Lesezeit|"
    r"de lecture|чтения)",
    r"(Do you want to |Want to |Would you like to )?(leave|post|write|add) a comment\b.{0,80}",
    # prices and subscription buttons: "1€ al mese per 3 mesi", "3,99€/settimana", "Attiva ora"
    r"[^.!?]{0,40}\d+(?:[.,]\d+)?\s?(?:€|\$|£|euro|руб\.?)(?:\s?/\s?\w+)?[^.!?]{0,40}|"
    r"(Attiva|Abbonati|Assine|Abonnieren|Activate|Subscribe) (ora|já|jetzt|now)|Disdici quando vuoi|"
    r"Cancel anytime|Cancele quando quiser|Jederzeit kündbar",
    # French and Spanish furniture
    r"Publicité( Lire la suite)?|Lire la suite|Lire aussi\b.{0,160}|Partager( sur \w+)?|"
    r"(Compartir|Comparte) (en|por) \w+|Te puede interesar\b.{0,160}|Lee también\b.{0,160}|Publicidad",
    # site chrome: a logo's alt text, greetings, menus' headings, registration links
    r"(Logo|Логотип)( (do|da|de|di|of|der|des|du))? .{1,40}|Welcome,? (Guest|visitor).{0,40}|"
    r"(Site|Main) menu|Section categories|(Мы в соцсетях|Follow us|Siga-nos|Seguici|Folgen Sie uns|Suivez-nous)"
    r"\b.{0,80}|Login form|Search form|Only registered users can (add|post) comments\.?|"
    r"\[? ?(Registration|Register|Sign up) \| (Login|Log in|Sign in) ?\]?",
    r"(Previous|Next) (article|post|story).{0,120}|(Articolo|Artigo|Artículo) (precedente|anterior|successivo|"
    r"seguinte|siguiente)\b.{0,120}",
    r"(Posted|Pubblicato|Publicado|Publié|Veröffentlicht|Опубликовано) (by|da|por|par|von|от)\s.{1,60}",
    # a teaser that sends the reader to another story: "... — в нашем материале «...»"
    r"Начало событий в новости .{1,160}|.{0,120}\b(в нашем материале|читайте в материале|"
    r"in our (article|story|report|explainer)|nel nostro articolo|na nossa reportagem|em nossa reportagem|"
    r"in unserem Artikel|dans notre article)\b.{0,160}",
    r"Related (article|story|post|news):? .{1,160}|Read:\s.{1,160}|Leer también:?\s.{1,160}|Explore more\.{0,3}|"
    r"\(?This story has not been edited by .{1,160}",
    r"Our goal is to create a safe and engaging place.{0,400}|.{0,80}\b(temporarily )?(suspending|disabled?) "
    r"(article )?comment(ing|s)\b.{0,200}|(UK|US|European|Asian) (markets|stocks) (close|open)s? in .{1,30}",
    r"(Want to )?(help )?support [\w ’'.-]{2,40}\?|(Directly support|Shop on Amazon to support|Support us|"
    r"Become a (member|patron|supporter))\b.{0,120}|((Click|Tap) here to )?(sign up|subscribe|register)"
    r"( now| today)? (for|to) .{0,200}",
    # a forum thread's furniture: "4 votes", "Link Parent", "Comment deleted by author"
    r"\d+ (votes?|points?|replies|comments)|Link( Parent)?|Permalink|Comment deleted by (author|moderator)\.?",
    # a CMS's line of labelled fields: "Category: X | Views: 698 | Added by: Y | Rating: 0.0/0"
    r"([\w ]{2,20}: ?[^|]{0,40} ?\| ?){2,}.{0,60}",
)


# A line after which, at the end of a page, nothing is the story's any more: the comment
# form, a block of links to other stories, the "Source link" of aggregators.
_TAIL_START = re.compile(
    r"^(Leave a (Reply|Comment)|Related( Stories| articles| news| content)?|More stories|"
    r"Recommended( for you)?|You (may|might) also like|Most read|Popular|Comments?( \(\d+\))?|No comments:?|"
    r"Also read|More stories like this|Explore more(\.{3}|…)?|More from [\w ]{2,30}|Latest (news|stories)|"
    r"Trending( now)?|Don'?t miss|Most popular|What to read next|More about|Written by|"
    r"Top (news|stories|headlines)|Enregistrer un commentaire|Publicar un comentario|Postar um comentário|"
    r"Posta un commento|Kommentar veröffentlichen|Post a Comment|Check Also|Now on Netflix\b.{0,80}|DISCLAIMER|"
    r"Tips al momento|"
    r"(Scopri di più da|Discover more from|Descubre más de|Découvrez plus de|Descubra mais de) .{1,60}|"
    r"Reviewed by [\w .'’-]{1,60}|"
    r"(Reply|Post|Write|Add) (a |your )?comments?|"
    r"Tags|Topics|Tag|Temas|Argomenti|Themen|Schlagworte|Теги|Темы|Nessun commento:?|About the author\b.{0,60}|"
    r"Please enter your comment!?|Subscribe to continue reading|(Questo contenuto è )?riservato agli abbonati|"
    r"Source link|Lascia un commento|Leggi anche:?|Potrebbe interessarti|Deixe (um comentário|uma resposta)|"
    r"Leia (também|mais):?|Veja também:?|Schreibe einen Kommentar|Mehr zum Thema:?|Das könnte Sie auch "
    r"interessieren|Читайте также:?|Ещё по теме:?|Материалы по теме:?|Комментарии|Оставить комментарий|"
    r"Te puede interesar|Lee también:?|Noticias relacionadas|Sur le même sujet|Lire aussi:?|À lire aussi:?|"
    r"Dans la même rubrique|Потрібно знати|По теме|Prečítajte si tiež|Přečtěte si také|Czytaj (także|też)|"
    r"Citește și|Διαβάστε επίσης|Прочетете още|Lees ook|İlgili haberler|Читайте також|"
    r"Популярное( сегодня)?|Самое (популярное|читаемое)|"
    r"Popular (today|now)|Most (viewed|shared)|I più letti|Più lett[ei]|Mais lidas|Lo más leído|Les plus lus|"
    r"Meistgelesen)$",
    re.IGNORECASE,
)


# Section labels a page puts before or on its headline: "Video.", "LIVE", "Exclusive:".
_LABEL = (r"(?:Video|Watch|Live|Breaking|Breaking news|Exclusive|Update|Updated|Analysis|Opinion|Explainer|"
          r"Photos|Fotos|Gallery|Vídeo|Ao vivo|Exclusivo|Esclusiva|Diretta|Eilmeldung|Exklusiv|Видео|Фото|Эксклюзив|"
          r"Срочно|Новости|News|World|Science|Space|Europe|Mundo|Esteri|Ciência|Scienza|Wissen|Welt|Наука|"
          r"Космос|В мире)")


_LABEL_LINE = re.compile(rf"^{_LABEL}[.:!]?$", re.IGNORECASE)


_LABEL_PREFIX = re.compile(rf"^(?:{_LABEL}\s*[.:|–—-]\s+(?=\S)|(?-i:VIDEO|LIVE|FOTO|PHOTOS|WATCH|BREAKING|EXCLUSIVE)"
                           rf"\s+(?=[A-ZА-Я«\"“]))", re.IGNORECASE)


# What follows a date on a date line rather than a headline: a time zone, an update, a
# reading time, a list of sections.
# (a time zone after the date, "EDT | Updated ...", not a headline's first word: "US astronaut ...")
_METADATA = re.compile(r"^(?:(?-i:[A-Z]{2,4})(?=\s*(?:$|[·•|,(–—-]))|\+\d)|"
                       r"\b(?:ago|updated?|min(?:ute)?s? read|read|atualizad[oa]|aggiornat[oa]|"
                       r"aktualisiert|обновлено|actualizad[oa]|mis à jour)\b| [·•|] ", re.IGNORECASE)


# A navigation bar or a list of sections: short parts between separators.
_NAV_LINE = re.compile(r"^[^.!?]{1,40}(\s(?:[·•|›»>/]|::)\s[^.!?]{1,80}){2,}[.!?]?$|^[^!?]{1,60}\s\[\d+\]$|"
                       r"^[^\W\d_][\w ]{1,30}\|[^\W\d_][\w ]{1,30}$")  # "Ciência|Da Redação"


# "... intitulé "Le Défi". IMAGES": the label of the video the text described, glued to it
_LABEL_TAIL = re.compile(r"(?<=[.!?\"”»])\s+(?:IMAGES|VIDEO|VIDÉO|VÍDEO|PHOTOS|FOTOS|FOTO|ВИДЕО|ФОТО)$")


_STAMPED = re.compile(r"(\.\.\.|…|[.!?])\s+\d{1,2}\.\d{1,2}\.\d{4},\s+[^\W\d_][\w .'’-]{1,40}$")


# A wire picture's note to editors and its picture number, glued after its credit:
# "... via REUTERS ATTENTION EDITORS - THIS IMAGE HAS BEEN SUPPLIED BY A THIRD PARTY. - RC2AB3C4D5E6"
_EDITORS_NOTE = re.compile(r"\s+ATTENTION EDITORS\b[^a-z]*$")  # in capitals to the end
# The initials of the desk's editors after the last sentence: "... Roscosmos said. (vm / jm)"
_EDITORS_INITIALS = re.compile(r"(?<=[.!?”\"»])\s*[(\[]\s*[a-z]{1,4}(?:\s*/{1,2}\s*[a-z]{1,4})+\s*[)\]]$")
# The agency's initials and the outlet's copyright glued after the last sentence:
# "... the Hollywood project. AFP/BW,EC ©Deutsche Welle"
# (Not a caption's "... 2021. © Roscosmos / AP": that is its credit.)
_GLUED_COPYRIGHT = re.compile(r"(?<=[.!?”\"»])\s+[A-Z]{2,6}(?:/[A-Z]{2,6})+(?:,[A-Z]{2,6})*\s+"
                              r"©\s?[^\W\d_][^.!?©/]{1,40}$")


def _unmarked(text: str) -> str:
    """A unit without what pages glue to it: a cut description's date and site, a video's
    label, a wire picture's note to editors and its desk's initials, and
    raw links whose text is kept ("<a href=...>here</a>")."""
    text = _STAMPED.sub(r"\1", text)
    text = _LABEL_TAIL.sub("", text)
    text = _GLUED_COPYRIGHT.sub("", _EDITORS_INITIALS.sub("", _EDITORS_NOTE.sub("", text)))
    text = re.sub(r"^(?:Volledig scherm|Full screen|Vollbild|Plein écran)\s+(?=\S)", "", text)  # a zoom button's label
    text = re.sub(r"\s*\(More [\w ]{2,40} stories\.?\)$", "", text)  # an aggregator's "(More Russia stories.)"
    text = re.sub(r"(?<=[.!?”\"»])\s*(?:Read more|find out more)$", "", text)  # a link's words glued to the last one
    # another story's teaser glued after a sentence: "... since April.Also on rt.com WATCH: ..."
    text = re.sub(r"(?<=[.!?”\"»])\s*Also on [\w-]+\.(?:com|ru|net|org)\b.*$", "", text)
    # a wire's call to follow it, after the last sentence: "... in orbit. Follow Sputnik's Live Feed to Find Out More!"
    text = re.sub(r"(?<=[.!?”\"»])\s*Follow [^.!?]{2,40}\b(?:Live Feed|Live Blog|on " + _NETWORKS
                  + r")\b[^.!?]{0,40}[.!]?$", "", text)
    # an image tag's broken tail before the text: '“alt =” “/> A Soyuz rocket ...'
    text = re.sub(r"^[^<>\s]{0,20}\s*=[^<>]{0,60}?/>\s*(?=\S)", "", text)
    text = re.sub(r"(?<=[^\W\d_]|[)”\"’])\[\d{1,3}\]", "", text)  # a footnote's link: "the movie Challenge[1]"
    return re.sub(r"<a\b[^>]*>(.*?)</a>", r"\1", text, flags=re.IGNORECASE | re.DOTALL)


@functools.lru_cache(maxsize=8)
def _compile_residue(extra: tuple[str, ...]) -> re.Pattern[str]:
    """One case-insensitive pattern for all residue lines: the built-in ones, the furniture
    table's, and the project's own."""
    return re.compile("|".join(f"(?:{p})" for p in (*DEFAULT_RESIDUE, _furniture_pattern(), *extra)), re.IGNORECASE)


def _is_residue(text: str, residue: re.Pattern[str]) -> bool:
    return bool(residue.fullmatch(text)) and not _IMAGE_MARKER.match(text) or _keyword_list(text) \
        or _lost_embed(text)


# A video's or a trailer's name, or a verb asking to watch one, in the languages of the coverage.
_WATCH = re.compile(r"\b(?:video|vídeo|videó|videa|videu|wideo|видео|відео|відеа|trailer|tráiler|tr[aá]iler|трейлер|"
                    r"napovednik|najava|ukázk\w*|ukážk\w*|zwiastun\w*|filmato|bande-annonce|fragman|előzetes|"
                    r"watch|guarda|mira|veja|assista|regardez|schauen Sie|смотрите|podívejte|pozrite|pogledajte|"
                    r"oglejte|zobacz|izle|予告|動画|视频|視頻|预告|預告|영상|예고편)\b", re.IGNORECASE)


def _lost_embed(text: str) -> bool:
    """Whether a line announces a video or a trailer the copy lost: a short line that names
    one and ends on a colon ("Podívejte se na ukázku z filmu:", "Napovednik filma Izziv:",
    "Watch the trailer here:"), with nothing of the video left under it."""
    # (not a label, "Trailer Review:", nor who posted what follows: "A fan shared a video:")
    return text.endswith((":", "：")) and 3 <= _n_words(text) <= 16 and bool(_WATCH.search(text)) \
        and not re.search(r"\b(?:shared|posted|tweeted|wrote|published|said|says)\b", text)


@functools.lru_cache(maxsize=1)
def _furniture_pattern() -> str:
    """One pattern for the furniture table's phrases of more than one word, in every
    language: a line that is one of them, with a count ("Comments (3)"), a colon, a
    network ("Follow us on Telegram"), the teaser a related-link label leads to, or the
    holder's name around "All rights reserved"."""
    from .furniture import FURNITURE

    def phrases(concept: str) -> str:
        return _table_phrases((concept,))

    count = r"(?:\s*[:：]?\s*(?:\(\d+\)|\d+))?\s*[:：.]?"
    network = r"(?:\s+\S+){0,2}?\s*" + _NETWORKS + r"\w*"
    parts = [rf"(?:{phrases('follow_us')})(?:{network})?{count}",
             rf"(?:{phrases('related')}|{phrases('latest_news')}|{phrases('more')})(?:\s*[:：|»›>]\s*.{{1,160}}|{count})",
             rf".{{0,80}}(?:{phrases('rights')}).{{0,80}}"]
    rest = [c for c in FURNITURE if c not in ("follow_us", "related", "latest_news", "more", "rights")]
    parts.append(rf"(?:{'|'.join(phrases(c) for c in rest)}){count}")
    return "|".join(f"(?:{part})" for part in parts)


def _without_accents(text: str) -> str:
    """Latin letters without their diacritics ("știri" -> "stiri"); other scripts as they are
    (a Hindi or Thai vowel sign is a letter's part, not an accent)."""
    out = []
    for char in text:
        base = unicodedata.normalize("NFD", char)
        out.append(base[0] if base[0].isascii() and base[0].isalpha() else char)
    return "".join(out)


def _table_phrases(concepts: tuple[str, ...]) -> str:
    """An alternation of the furniture table's phrases for ``concepts`` in every language,
    those long enough to match alone, each also without its diacritics ("Ultimele stiri":
    sites that drop them), the longest first."""
    from .furniture import FURNITURE

    found = {p for concept in concepts for language, words in FURNITURE[concept].items() for p in words
             if _long_enough(p, language)}
    found |= {_without_accents(p) for p in found}
    return "|".join(re.escape(p) for p in sorted(found, key=lambda p: (-len(p), p)))


@functools.lru_cache(maxsize=1)
def _tail_label() -> re.Pattern[str]:
    """The furniture table's headings of a page's tail in every language (related stories,
    latest news, comments): from such a heading on, the story is over."""
    return re.compile(_table_phrases(("related", "latest_news", "comments")), re.IGNORECASE)


def _long_enough(phrase: str, language: str) -> bool:
    """Whether a phrase says enough to be matched alone: two words, or four characters of a
    script written without spaces (Chinese, Japanese, Thai) or a long Korean word."""
    if language in ("zh", "ja", "th") or language == "ko" and " " not in phrase:
        return len(phrase) >= 4
    return len(phrase.split()) >= 2


def _keyword_list(text: str) -> bool:
    """Whether a line is a page's keywords run together: no punctuation at all, and three
    words, names among them, that come twice in the same order ("Клим Шипенко Юлия Пересильд Израиль
    история ... Клим Шипенко"). A headline or a sentence does not say itself twice."""
    words = text.split()
    if not 6 <= len(words) <= 40 or re.search(r"[.,;:!?…\"“”«»„()\[\]'’–—]", text):
        return False
    runs = [tuple(words[i:i + 3]) for i in range(len(words) - 2)]
    # names, not "of the": a sentence can say "of the mission ... of the promotion"
    return any(runs.count(run) > 1 and sum(w[:1].isupper() for w in run) >= 2 for run in runs)


_COMMENTS = re.compile(r"^(Leave a (Reply|Comment)|Comments?( \(\d+\))?|No comments:?|Lascia un commento|"
                       r"Nessun commento:?|Please enter your comment!?|Subscribe to continue reading|"
                       r"(Questo contenuto è )?riservato agli abbonati|Bitte melden Sie sich an.*|"
                       r"Para continuar (a ler|lendo).*|Per continuare a leggere.*|Чтобы продолжить чтение.*|"
                       r"Deixe (um comentário|uma resposta)|Schreibe einen Kommentar|Комментарии|"
                       r"Оставить комментарий|Source link)\s*:?$", re.IGNORECASE)


def _small_alt_text(line: str, text: str) -> bool:
    """Whether a line is a picture's alt text written all in lower case, names included: two
    or more of its words are capitalised elsewhere in the text ("yulia peresild tom cruise"),
    or one in a label of two or three words."""
    words = set(line.split())
    named = sum(f" {w.capitalize()}" in text for w in words)
    # (in a label of two or three words, one name written small will do, "soyuz launch", if the
    # text writes it with its capital inside a sentence: "In" opens sentences, "the Soyuz" is a name)
    inside = sum(bool(re.search(rf"[a-z,] {re.escape(w.capitalize())}\b", text)) for w in words)
    return line == line.lower() and any(c.islower() for c in line) and not re.search(r"\d", line) \
        and (named >= 2 or inside >= 1 and 2 <= len(line.split()) <= 3)


def _tag_line(text: str) -> bool:
    """Whether a line reads as one of a page's tags: a few lower-case words, no stop."""
    return 0 < _n_words(text) <= 4 and text[:1].islower() and text[-1] not in ".!?…:;,\"”»"


def _labels_title(text: str, title: str) -> bool:
    """Whether a line is the headline with a few lower-case words around it ("image for
    <headline>"): the alt text of the headline's picture, not a paragraph."""
    if not title or _n_words(title) < 4:
        return False
    head, found, tail = _fold(text).partition(_fold(title))
    extra = (head + " " + tail.strip(" .")).split()
    return bool(found) and 0 < len(extra) <= 3 and all(w.islower() for w in extra)
