"""Import's reading of one news clipping: a seed's bytes to an ``ArticleDraft``. Pure.

A seed is a news article copied out of a web page as plain text. Around the story it
carries what the page had around it: navigation, a dateline, time stamps, a deck,
photo captions with their credits, embedded posts, comment forms, teasers for other
stories, copyright lines. ``parse_seed`` reads the text as a sequence of units (one
paragraph or one stand-alone line each), finds the header (headline, deck, date,
dateline) among the first units, classifies the rest, and writes the story as Markdown.

Libraries do what they are made for: ftfy repairs text decoded twice, py3langid names
the language, dateparser reads dates in that language. The rules here are about the
shape of news pages (where a headline sits, what a credit looks like); a few residue
patterns name the furniture of one family of sites met in real copies (Reuters' trust
line, AFP's "///" update note, uCoz sidebars, Lenta's story teasers).

Measured on tests/import_corpus (``python tests/score_import.py``) and, outside the
project, on samples of real pages: see the notes of issue 12 for the figures.
"""

from __future__ import annotations

import collections
import datetime as dt
import functools
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from .content import dump_front_matter
from .errors import Problem, ProjectError, error, warning
from .model import Month, long_date
from .text import INVISIBLE, UNPRINTABLE, sentences

_TERMINAL = ".!?…\"”’»)]'"
_TITLE_MAX = 80
_SENTENCE_TITLE_MAX = 120  # about as long as the longest headlines in the corpus
_LONG_TITLE_MAX = 150  # a whole sentence or clause that cannot be cut well: long, but complete
_CUT_MAX = _TITLE_MAX  # a title cut from a longer sentence: headline-sized
_SUMMARY_MAX = 300
# Words before which a long lede can be cut into a headline-sized title.
_CUT_WORDS = (
    "as", "to", "on", "in", "for", "with", "after", "before", "from", "while", "which",
    "who", "where", "amid", "during", "because", "since", "when", "by", "at", "into",
)

# --------------------------------------------------------------------------- residue

# Whole lines that are a web page's furniture, not article text, in the languages of
# the coverage (English, Russian, Italian, Portuguese, Spanish, French, German). Matched
# case-insensitively against a full line; editors extend the list with
# [tool.microsite] residue_patterns.
# "In photos: ...", "Live updates: ...": another story's teaser, or, first on a page that has
# no other headline, the page's own headline with its label.
_TEASER = (r"(Live updates|Live|LIVE|In photos|In pictures|Gallery|Photo gallery|Fotogallery|Galeria|"
           r"Watch|Listen|Podcast|Newsletter|Opinion|Analysis|Breaking|Exclusive)\s*[:|]\s*[^.!?]{1,120}")

_NETWORKS = (r"(Facebook|Twitter|X|Pinterest|LinkedIn|WhatsApp|Telegram|Reddit|E-?mail|VK|VKontakte|Вконтакте|"
             r"Одноклассники|Flipboard|Messenger|Viber)")

DEFAULT_RESIDUE = (
    # what a page's code prints where a value is missing or still loading, and raw image tags
    r"None|null|undefined|NaN",
    r"(Loading|Загрузка|Cargando|Carregando|Caricamento|Chargement|Wird geladen)(\.{0,3}|…)",
    r"<(image|img)\b.*|.*\bdata:image/\S+.*",
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
    r"(Mais informações|Fonte|Foto|Fuente|Source|Quelle|Fonti|Источник|Créditos?):",  # a label left empty
    r"[-–—•·|_*?]+( [-–—•·|_*?]+)*",  # a separator alone on its line (or the "?? ??" of lost glyphs)
    r"Leer más|Leia mais|Leggi (di più|tutto)|Weiterlesen|Читать далее|Czytaj dalej",  # "Read more"
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
    r"(Related|Recommended|Most read|Most popular|Trending|Top stories|Latest|Popular)"
    r"( (articles?|stories|news|content|posts?|videos?))?(:.{0,80})?",
    r"(Advertisement|Advertising|Advert|Sponsored( content)?|Ad|Anzeige|Werbung|Pubblicità|Publicidade|Publicité|"
    r"Реклама)( \d{1,3})?",
    r"Also on [\w-]+\.(com|ru|net|org)\b.{0,200}|Like this story\?.{0,80}|Share it with a friend!?",
    r".{0,40}newsletter icon|What you need to know, summarized\b.{0,80}|By registering for the newsletter\b.{0,200}",
    r"(Share|Tweet|Email|Print|Copy link|Save|Compartilhe|Compartilhar|Condividi|Teilen|Поделиться)"
    r"( (this|on|no|su|auf|via|article|story|artigo) ?\w*)*:?",
    r"(Subscribe|Sign up|Follow us|Click here|Download (our|the) app)\b[^.]{0,80}",
    r"(Continue|Keep) reading[^.]{0,40}",
    r"Image:?|Photo:?|Video:?|Foto:?|Vídeo:?|Фото:?|Видео:?",
    r"All news|Home|News|Menu|Search|Back to top|Skip to (main )?content|(Tablet|Mobile|Main|Site|Desktop) menu",
    r"Support [\w ’'.-]{2,40}!",  # "Support The Daily X!": a fund-raising banner
    r"(Home|Start|Startseite|Início|Главная)\s*[>›»/|].{0,120}",
    r"[\w .&'-]{1,40}( [>›»|] [\w .&'-]{1,40}){2,}",  # Home > World > Europe
    r"Tags?:.{0,200}|Topics?:.{0,200}|Temas?:.{0,200}|Argomenti:.{0,200}|Themen:.{0,200}|Теги:.{0,200}",
    r"Source link|Source:? \w+( \w+)?|Fonte:? \w+|Quelle:? \w+|Источник:? \S+",
    # teasers for other stories
    _TEASER,
    r"(Read also|See also|Also read|Leggi anche|Leia também|Leia mais|Veja também|Lesen Sie auch|"
    r"Mehr zum Thema|Auch interessant|Lire aussi|Lea también|Читайте также|Смотрите также|"
    r"Ещё по теме|По теме|Материалы по теме|Potrebbe interessarti|Ti potrebbe interessare)\b.{0,160}",
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
    r"(©|\(c\)|Copyright)\s.{0,160}",
    r".{0,120}(All rights reserved|Alle Rechte vorbehalten|Todos os direitos reservados|"
    r"Riproduzione riservata|Tutti i diritti riservati|Все права защищены|Tous droits réservés|"
    r"Reproduction reserved|Reprodução proibida)\.?.{0,80}",
    # time stamps and reading times on their own line
    r"(Updated|Published|Posted|Aggiornato|Atualizado|Обновлено)?\s*\d{1,2}[:.h]\d{2}( ?[ap]\.?m\.?)?( [A-Z]{2,5})?",
    r"(Updated )?\d{1,2} (minutes?|hours?|days?) ago|\d{1,2} min(ute)?s? read|Reading time:? .{1,20}|"
    r"Tempo di lettura:? .{1,20}|Время чтения:? .{1,20}",
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
    r"polic\w*|polític\w*|политик\w*|consent\w*|accept\w*|akzept\w*|принима\w*|продолжая)\b.{0,300}",
    r"Ok|OK|Accept( all)?( cookies)?|Agree|I agree|Got it|Принять|Согласен|Понятно|Accetta|Aceitar|Aceptar|"
    r"Akzeptieren|Alle akzeptieren|Accepter|Tout accepter|Zgadzam się|Akceptuję|Elfogadom|Kabul et",
    r"\d{1,7}",  # a count alone on its line: votes, shares, views
    # where an embedded picture came from: "Via Instagram / @juliaperesild"
    r"(Via|Source|Fonte|Fuente|Quelle|Источник|Źródło|Zdroj|Forrás|Kaynak):? (Instagram|Twitter|X|Facebook|Telegram|"
    r"YouTube|TikTok|VK|Вконтакте)( ?/ ?@?[\w.]+)?",
    # an aggregator's disclaimer: "The website X is an aggregator of news from open sources. ..."
    r".{0,80}\b(is an aggregator of news|is a news aggregator|automatically generated from|auto-generated from a "
    r"syndicated feed|You can send a complaint)\b.{0,400}",
    r"(Все новости|Tutte le notizie|Todas las noticias|Todas as notícias|Alle Nachrichten|Toutes les actualités|"
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
    r"Trending( now)?|Don'?t miss|Most popular|What to read next|More about|Written by|About the author|"
    r"Top (news|stories|headlines)|Enregistrer un commentaire|Publicar un comentario|Postar um comentário|"
    r"Posta un commento|Kommentar veröffentlichen|Post a Comment|Check Also|Now on Netflix\b.{0,80}|DISCLAIMER|"
    r"Tips al momento|"
    r"(Scopri di più da|Discover more from|Descubre más de|Découvrez plus de|Descubra mais de) .{1,60}|"
    r"Reviewed by [\w .'’-]{1,60}|"
    r"(Reply|Post|Write|Add) (a |your )?comments?|"
    r"Tags|Topics|Tag|Temas|Argomenti|Themen|Schlagworte|Теги|Темы|Nessun commento:?|"
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

# "(*With information from Ashley Strickland, from CNN)" and the like: an attribution
# that belongs in the credit field, not in the article body.
_CREDIT_LINE = re.compile(
    r"^\(?\s*\*?\s*(?P<credit>(with (information|reporting|inputs) from|with reporting by|"
    r"(additional )?reporting by|written by|edited by|com informa[cç][oõ]es d[aeo]s?|"
    r"con informazioni d[ia]|con informaci[oó]n de|mit Material von|по материалам)\b.*?)\s*\)?$",
    re.IGNORECASE,
)
# A caption's credit after a label: "... Photo: Andrey Shelepin / GCTC / Roscosmos".
_CAPTION_CREDIT = re.compile(
    r"^(?P<caption>.*?)[\s(]*\b(?P<label>Photos?|Photograph|Pics?|Pix|Image|Picture|Credit|Foto|Fotos|Imagem|Immagine|Bild|"
    r"Crédito|Credito|Crédit|Фото|Fuente|Source|Fonte|Quelle|Источник)(?:(?: credit| courtesy| di| de| von)?\s*:\s*|"
    r"(?: de couverture| de capa| di copertina)?\s+(?:courtesy(?: of)?|by|par|por|di|von)\s+(?=(?-i:[A-ZÀ-ÞА-ЯЁ]))|"
    r"\s+(?=[^.]{2,80}\b(?:vía|via)\s))(?P<credit>(?:[^()]|\([^()]*\))+?)\)?\s*$",
    re.IGNORECASE,
)
# "Photo" in the languages of the coverage, as a picture's label: "Fotó:", "Zdjęcie:", "Φωτ.:", "عکس:".
_PICTURE_WORD = (r"Image|Photo|Picture|Foto|Fotó|Fotos|Fotografia|Fotografie|Fotoğraf|Fot\.|Imagem|Immagine|Imagen|"
                 r"Bild|Beeld|Afbeelding|Zdjęcie|Snímek|Snímka|Kép|Kuva|Billede|Φωτογραφία|Φωτ\.|Фото|Снимка|Слика|"
                 r"Світлина|صورة|عکس|תמונה|写真|图片|사진|Ảnh")
_IMAGE_MARKER = re.compile(rf"^({_PICTURE_WORD})\s*:\s*(?P<rest>.*)$", re.IGNORECASE)
# Who a photo is credited to when no label says so: agencies and picture desks, at the
# very end of a caption ("... via REUTERS", "AFP/Getty Images", "/ ZUMAPRESS.com").
_AGENCY = (r"(?i:Reuters|AFP|AP( Photo)?|EPA|ANSA|dpa|TASS|ТАСС|Sputnik|RIA Novosti|РИА Новости|"
           r"Getty Images|Shutterstock|Alamy|ZUMAPRESS\.com|Roscosmos|NASA|NASA TV|Lusa|EFE|Xinhua|Keystone)")
_CAP = r"[A-ZÀ-ÞА-ЯЁ]"  # a capital letter: the words of a credit are names
_WORD = r"[\w&'’-]*(?:\.\w+)*"  # the rest of a word; a full stop only inside it ("ZUMAPRESS.com")
_TRAILING_CREDIT = re.compile(
    r"^(?P<caption>.*?)\s*(?:[(\[]\s*|©\s*)?(?P<credit>(?:(?:" + _CAP + _WORD + r" ){0,4}(?:via|by) )?"
    r"(?:" + _CAP + _WORD + r" ){0,3}" + _AGENCY + r"(?:\s*/\s*[\w.&'’ -]{2,40})*|"
    r"(?:" + _CAP + _WORD + r" ){0,3}" + _CAP + _WORD + r"(?:\s*/\s*[\w.&'’ -]{2,40}){1,5}|"
    r"/\s*" + _CAP + r"[\w.&'’ -]{1,40})\s*[)\]]?\s*$"
)
_SHORT_TRAILING_CREDIT = re.compile(
    r"^(?P<caption>.*?)\s+(?P<credit>" + _CAP + _WORD + r" " + _CAP + _WORD + r"\s*/\s*[\w.&'’ -]{2,40})$")
# "... after the landing. Twitter@novitskiy_iss": a picture taken from someone's account.
_SOCIAL_CREDIT = re.compile(r"^(?P<caption>.{10,}?[.!?”\"])\s*(?P<credit>(?:Twitter|Instagram|Facebook|Telegram)"
                            r"\s*[:/]?\s*@\w{1,30}|@\w{1,30}\s*/\s*(?:Twitter|Instagram|Facebook|Telegram))$")
# "ANSA/EPA | The crew at Baikonur": a picture desk's tag before a caption.
_LEADING_CREDIT = re.compile(r"^(?P<credit>[A-Z][\w.&-]*(?:\s*/\s*[A-Z][\w.&-]*)+)\s*\|\s*(?P<caption>.+)$")

# "Foto: Roskosmos/dpa | Bergungskräfte helfen ...": the credit first, then the caption.
_LABELLED_LEAD = re.compile(
    r"^(?P<credit>(?:Photo|Foto|Фото|Image|Bild|Imagem)\s*:\s*[^|]{2,60}?)\s*\|\s*(?P<caption>.+)$", re.IGNORECASE)
# An embedded post's attribution: "— Roscosmos (@roscosmos) October 5, 2021".
_POST_BY = re.compile(r"^[—–-]{1,2}\s*(?P<author>[^()\n]{1,80}?)\s*\((?P<handle>@\w{1,30})\)\s*(?P<date>.*)$")
_POST_LINK = re.compile(r"(?:\s+(?:More|Read more)…)?\s*(?:pic\.twitter\.com/\S+|https?://t\.co/\S+)")

_BULLET = re.compile(r"^[•·▪●◦‣*–-]\s+(?P<text>\S.*)$")
# Section labels a page puts before or on its headline: "Video.", "LIVE", "Exclusive:".
_LABEL = (r"(?:Video|Watch|Live|Breaking|Breaking news|Exclusive|Update|Updated|Analysis|Opinion|Explainer|"
          r"Photos|Fotos|Gallery|Vídeo|Ao vivo|Exclusivo|Esclusiva|Diretta|Eilmeldung|Exklusiv|Видео|Фото|Эксклюзив|"
          r"Срочно|Новости|News|World|Science|Space|Europe|Mundo|Esteri|Ciência|Scienza|Wissen|Welt|Наука|"
          r"Космос|В мире)")
_LABEL_LINE = re.compile(rf"^{_LABEL}[.:!]?$", re.IGNORECASE)
_LABEL_PREFIX = re.compile(rf"^(?:{_LABEL}\s*[.:|–—-]\s+(?=\S)|(?-i:VIDEO|LIVE|FOTO|PHOTOS|WATCH|BREAKING|EXCLUSIVE)"
                           rf"\s+(?=[A-ZА-Я«\"“]))", re.IGNORECASE)
# News agencies as they write themselves: a byline ("Jane Doe, Reuters") or a credit line
# ("with inputs from PTI") that names one names who filed the story. Longer names first.
_NEWS_AGENCIES = (r"Associated Press|Agence France-Presse|Agencia EFE|Agência Brasil|Europa Press|RIA Novosti|"
                  r"Reuters|Bloomberg|Interfax|Kazinform|Sputnik|Xinhua|AFP|AP|TASS|PTI|IANS|ANI|UPI|dpa|ANSA|EFE|Lusa")
# "agencies": the credit of a story put together from several wires
_WIRES_WORD = r"وكالات|Agencies|Agencias|Agências|Agenzie|Agenturen|Agences|Агентства"
_BYLINE = re.compile(
    r"^(?:(By|by(?=\s+[A-Z])|Authored by|Submitted by|Di|Por|Von|Par|De|Автор:?|Текст:|Text:|Texto:|Redazione|"
    r"Da Redação|Redação|Redaktion|"
    r"Редакция|"
    r"Avec notre (?:correspondante?|envoyée? spéciale?)|From our correspondent)"
    r"(\s+|,|$)|[^\W\d_][\w .'’-]{2,40}, (?:The )?(?:" + _NEWS_AGENCIES + r"|"
    r"[\w ]{0,30}\b(?:Correspondent|Editor|Reporter|Writer|Reviewer|Critic|Columnist)"
    r"(?: (?:for|of|at) [\w ()]{2,50})?)$)",
    re.IGNORECASE,
)
# "Da Redação, com Agência Brasil", "Redazione, con ANSA": the desk and the agency it used.
_DESK_AGENCY = re.compile(r"^(?:Da Redação|Redação|Redazione|Redaktion|Редакция|Staff)[,\s]+(?:com|con|with|mit|с)\s+"
                          r"(?:(?:a|o|la|le|l'|die|der|the)\s+)?(?P<agency>[^\W\d_][\w .'-]{1,40})$", re.IGNORECASE)
# What follows a date on a date line rather than a headline: a time zone, an update, a
# reading time, a list of sections.
_METADATA = re.compile(r"^(?:(?-i:[A-Z]{2,4})\b|\+\d)|\b(?:ago|updated?|min(?:ute)?s? read|read|atualizad[oa]|"
                       r"aggiornat[oa]|aktualisiert|обновлено|actualizad[oa]|mis à jour)\b| [·•|] ", re.IGNORECASE)
# A navigation bar or a list of sections: short parts between separators.
_NAV_LINE = re.compile(r"^[^.!?]{1,40}(\s(?:[·•|›»>/]|::)\s[^.!?]{1,80}){2,}[.!?]?$|^[^!?]{1,60}\s\[\d+\]$|"
                       r"^[^\W\d_][\w ]{1,30}\|[^\W\d_][\w ]{1,30}$")  # "Ciência|Da Redação"


# Words a title must not end on: the verb or adjective that the cut-off part completes.
_NO_CUT_AFTER = frozenset(
    "set due about expected going able trying planning scheduled poised likely ready hoping seeking aiming "
    "is are was were be been being has have had will would can could may might must shall should to "
    "the a an of and or".split()
)


@dataclass(frozen=True)
class ArticleDraft:
    """What import makes of one seed, before it is written as a content file."""

    seed: str
    title: str
    body: str
    date: dt.date | None = None
    summary: str = ""
    credit: str = ""
    truncated: bool = False
    language: str = ""
    dateline: str = ""
    agency: str = ""
    warnings: tuple[Problem, ...] = ()

    def to_markdown(self) -> str:
        """The content file: YAML front matter, then the Markdown body."""
        meta: dict[str, object] = {"title": self.title}
        if self.date:
            # A Month is written "2023-04"; YAML reads it back as text, which load accepts.
            meta["date"] = self.date.isoformat() if isinstance(self.date, Month) else self.date
        if self.dateline:
            meta["dateline"] = self.dateline
        if self.agency:
            meta["agency"] = self.agency
        if self.language:
            meta["language"] = self.language
        meta["summary"] = self.summary
        meta["seed"] = self.seed
        if self.credit:
            meta["credit"] = self.credit
        if self.truncated:
            meta["truncated"] = True
        return dump_front_matter(meta, self.body)


@dataclass(frozen=True)
class Unit:
    """One paragraph or stand-alone line of a seed, with the line it starts on."""

    text: str
    line: int


@dataclass
class _Reading:
    """What has been learnt of a seed so far."""

    path: str
    text: str = ""  # the whole text, to tell the site's own name by its repetition
    language: str = "en"
    date: dt.date | None = None
    dateline: str = ""
    agency: str = ""
    credit: str = ""
    deck: str = ""
    title: str = ""
    captions: set[str] = field(default_factory=set)  # folded texts the header knows to be captions
    lede_as_written: str = ""  # the first unit before its dateline went: a page may print the story twice
    warnings: list[Problem] = field(default_factory=list)


# --------------------------------------------------------------------------- decoding


_UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}"
    rb"|\xed[\x80-\x9f][\x80-\xbf]|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}"
    rb"|\xf4[\x80-\x8f][\x80-\xbf]{2}"
)


def decode_seed(path: str, data: bytes) -> tuple[str, list[Problem]]:
    """Decode a seed's bytes to text without ever producing mojibake.

    UTF-8 (with or without BOM) and UTF-16 with a BOM are decoded as such. A file that
    is not UTF-8 and holds no UTF-8 sequence at all is Windows-1252 (which includes
    Latin-1's letters); a file with some valid and some broken UTF-8 is reported, as
    guessing there would turn its letters into mojibake.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return _check_text(path, data.decode("utf-16")), []
        except UnicodeDecodeError as exc:
            raise ProjectError(error(path, 1, f"invalid UTF-16: {exc.reason}", "save the file as UTF-8")) from None
    try:
        return _check_text(path, data.decode("utf-8-sig")), []
    except UnicodeDecodeError as exc:
        if _UTF8_MULTIBYTE.search(data):
            line = data[: exc.start].count(b"\n") + 1
            raise ProjectError(error(
                path, line,
                f"invalid UTF-8: byte 0x{data[exc.start]:02x} at offset {exc.start} "
                "does not belong to a UTF-8 character",
                "the file mixes encodings or was cut inside a character; save it as UTF-8",
            )) from None
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ProjectError(error(
            path, line,
            f"cannot decode: byte 0x{data[exc.start]:02x} at offset {exc.start} is neither UTF-8 nor Windows-1252",
            "save the file as UTF-8",
        )) from None
    note = warning(path, 0, "not UTF-8; decoded as Windows-1252 (Latin-1)", "save the file as UTF-8 to silence this")
    return _check_text(path, text), [note]


def _check_text(path: str, text: str) -> str:
    """Reject texts that cannot be an article: NUL bytes (binary files) and empty files.

    The text comes back in NFC, so a name typed with combining accents is the name.
    """
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise ProjectError(error(path, line, "contains a NUL byte; this is not a text file",
                                 "seeds must be plain text; remove the file or the NUL bytes"))
    if not text.strip():
        raise ProjectError(error(path, 0, "seed is empty", "add the article text or remove the file"))
    return unicodedata.normalize("NFC", text)


def repair_mojibake(path: str, text: str) -> tuple[str, list[Problem]]:
    """Undo text that was decoded twice ("cafÃ©", "itâ€™s", "Ð Ð¾Ñ\x81"), with ftfy.

    Only the encoding is repaired (quotes, ligatures and widths stay as written), line by
    line, and each repair is a warning: a copied page may mean a character another way.
    """
    import ftfy  # imported here: only an import of a new seed needs it

    config = ftfy.TextFixerConfig(unescape_html=False, remove_terminal_escapes=False, fix_latin_ligatures=False,
                                  fix_character_width=False, uncurl_quotes=False, fix_line_breaks=False,
                                  fix_surrogates=False, remove_control_chars=False, fix_c1_controls=False,
                                  normalization=None,
                                  explain=False)
    lines = text.split("\n")
    # Text decoded twice always shows a printable letter of the first decoding (the lead
    # byte: Ã, Ð, Π ...); a line whose only non-ASCII characters are controls is no
    # mojibake, and ftfy would read a lone U+0085 as Windows-1252's "…".
    fixed = [ftfy.fix_text(line, config) if _PRINTABLE_NON_ASCII.search(line) else line for line in lines]
    changed = [i for i, (a, b) in enumerate(zip(lines, fixed, strict=True)) if a != b]
    if not changed:
        return text, []
    first = changed[0]
    before, after = _first_difference(lines[first], fixed[first])
    note = warning(path, first + 1,
                   f"repaired text that was decoded twice on {len(changed)} line(s), e.g. {before!r} → {after!r}",
                   "check the repaired lines in the new content file; save seeds as UTF-8 from the start")
    return unicodedata.normalize("NFC", "\n".join(fixed)), [note]


_PRINTABLE_NON_ASCII = re.compile(r"[^\x00-\x9f]")


def _first_difference(a: str, b: str) -> tuple[str, str]:
    """The first stretch where two versions of a line differ, a few characters either side."""
    start = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), 0)
    tail = 0
    while tail < min(len(a), len(b)) - start and a[-1 - tail] == b[-1 - tail]:
        tail += 1
    return a[max(0, start - 3): len(a) - tail + 3][:40], b[max(0, start - 3): len(b) - tail + 3][:40]


# --------------------------------------------------------------------------- units


def split_units(text: str) -> list[Unit]:
    """Paragraphs and stand-alone lines of normalised text, each with its first line.

    Blank lines separate paragraphs; inside a block, lines are joined only when the block
    is hard-wrapped prose (its lines run to a similar width and break mid-sentence), so a
    page copied with one line per paragraph keeps its paragraphs.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = re.sub(r"[\t\f\v\u00a0\u2000-\u200a\u202f\u205f\u3000]", " ", text)
    # Zero-width characters, soft hyphens, and the display-reordering controls that would
    # make a title read otherwise than it says (U+202E): nothing a reader should get.
    text = INVISIBLE.sub("", text)
    text = UNPRINTABLE.sub("", text)  # stray control characters of copied text; no page may carry them
    units: list[Unit] = []
    block: list[tuple[str, int]] = []
    for number, raw in enumerate([*text.split("\n"), ""], start=1):
        line = _undoubled(re.sub(r" {2,}", " ", raw.strip()))
        if line:
            block.append((line, number))
            continue
        if block:
            units.extend(_block_units(block))
            block = []
    return units


def _undoubled(line: str) -> str:
    """A line that says the same thing twice in a row (a picture's alt text glued to its
    caption: "The crew lands. Photo: X The crew lands. Photo: X") once."""
    half = len(line) // 2
    if len(line) >= 41 and line[half] == " " and line[:half] == line[half + 1:]:
        return line[:half]
    return line


def _block_units(block: list[tuple[str, int]]) -> list[Unit]:
    """The units of one block of lines: one joined paragraph, or a unit per line."""
    lines = [line for line, _ in block]
    if len(lines) > 1 and _hard_wrapped(lines):
        return [Unit(" ".join(lines), block[0][1])]
    cleaned = [Unit(_GALLERY.sub("", line).strip(), number) for line, number in block]
    return [unit for unit in cleaned if unit.text]


# A photo gallery's counter and buttons around a caption: "1 of 5 | ...", "... AP Show More Show Less".
_GALLERY = re.compile(r"^\d{1,2} (?:of|из|di|de|von) ?\d{1,2}\b\s*\|?\s*|^\d{1,2} ?/ ?\d{1,2}\s*\|\s*"
                      r"|\s*(?:\b[A-Z]{2,5}\s+)?Show More Show Less$")


def _hard_wrapped(lines: list[str]) -> bool:
    """Whether a block's line breaks are a column width's, not the author's: every line but
    the last runs to nearly the block's width, most break mid-sentence, and none starts
    a list item or a post's attribution."""
    if any(_BULLET.match(line) or line[:1] in "—–" or _IMAGE_MARKER.match(line) or credit_alone(line)
           for line in lines[1:]):
        return False  # a list, a post's attribution, a photo's credit: lines of their own
    if any(b.startswith(a) or a.startswith(b) for a, b in zip(lines, lines[1:], strict=False)):
        return False  # a picture's alt text above its caption
    if len(lines) == 2 and not lines[1][:1].islower():  # a headline and its date, a title and a lede
        return False
    body = lines[:-1]
    widest = max(len(line) for line in lines)
    if widest > 100 or widest < 55:  # nobody wraps at 100+ columns, or under 55
        return False
    mid_sentence = sum(1 for line in body if line[-1] not in ".!?:;…\"”»")
    return mid_sentence >= 0.6 * len(body) and all(len(line) >= 0.7 * widest for line in body)


# --------------------------------------------------------------------------- language


def detect_language(units: list[Unit], default: str = "en") -> str:
    """The language of the story's text (ISO 639-1), by py3langid; ``default`` for short texts.

    Only the longer units are read: headlines, credits and residue are too short to
    tell, and a page's English furniture must not outvote a Russian story.
    """
    text = " ".join(u.text for u in units if len(u.text.split()) >= 8)
    if len(text) < 80:
        return default
    import py3langid  # imported here: only an import of a new seed needs it

    language, _ = py3langid.classify(text)
    return language


# --------------------------------------------------------------------------- dates

# The parsers dateparser offers that read what a text states; relative dates ("2 hours
# ago"), timestamps and digit runs without separators would give dates nobody wrote.
_DATE_SETTINGS = {"PARSERS": ["absolute-time", "custom-formats"], "RETURN_AS_TIMEZONE_AWARE": False,
                  "RELATIVE_BASE": dt.datetime(2000, 1, 1), "PREFER_DAY_OF_MONTH": "first"}


@functools.lru_cache(maxsize=32)
def _date_parser(languages: tuple[str, ...], parts: tuple[str, ...], order: str = ""):
    from dateparser.date import DateDataParser

    settings = {**_DATE_SETTINGS, "REQUIRE_PARTS": list(parts), **({"DATE_ORDER": order} if order else {})}
    try:
        return DateDataParser(languages=list(languages), settings=settings)
    except ValueError:  # a language dateparser does not know: English alone
        return DateDataParser(languages=["en"], settings=settings)


@functools.lru_cache(maxsize=16)
def _date_words(languages: tuple[str, ...]) -> re.Pattern[str]:
    """A pattern for spans that may be a date: numbers, the languages' month names, and the
    words that join them ("17 de outubro de 2021"), from dateparser's own locale data."""
    from dateparser.languages.loader import default_loader

    months: set[str] = set()
    weekdays: set[str] = set()
    for language in languages:
        try:
            info = default_loader.get_locale(language).info
        except (KeyError, ValueError):
            continue
        for name in ("january", "february", "march", "april", "may", "june", "july", "august", "september",
                     "october", "november", "december"):
            months.update(w for w in info.get(name, ()) if w.strip() and len(w) > 1 and not w.isdigit())
        for name in ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"):
            weekdays.update(w for w in info.get(name, ()) if w.strip() and len(w) > 1 and not w.isdigit())

    def alternatives(words: set[str]) -> str:
        return "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True))

    joiners = r"(?:de|del|of|di|the)"
    token = rf"(?:\d{{1,4}}(?:st|nd|rd|th|er|º)?\.?|(?:{alternatives(months)})\.?)"
    # A weekday only opens a date ("Tuesday, October 5"): after one, "Die" is an article.
    weekday = rf"(?:(?:{alternatives(weekdays)})\.?,?\s+)?"
    return re.compile(rf"(?<!\w){weekday}{token}(?:(?:[\s,./-]+|\s+{joiners}\s+){token}){{0,5}}(?!\w)",
                      re.IGNORECASE)


_ISO_TIMESTAMP = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})T\d{2}:\d{2}")
_CYRILLIC_WORD = re.compile(r"[а-яё]{3,}", re.IGNORECASE)
_CYRILLIC_LANGUAGES = frozenset({"ru", "uk", "bg", "be", "sr", "mk"})


def find_date(text: str, language: str, need_year: bool = True) -> tuple[dt.date | None, int, int]:
    """The first date ``text`` states: (date or Month, start, end); (None, -1, -1) when none.

    A day, month and year give a date; a month and year alone give a Month. Without
    ``need_year``, a day and month suffice (a dateline's "October 4"), in the year 1900:
    the caller supplies the year.
    """
    if (iso := _ISO_TIMESTAMP.search(text)) and not re.search(r"\d", text[:iso.start()]):
        try:  # "2021-05-14T18:57+0000", a page's machine-readable time
            return dt.date(*map(int, iso.groups())), iso.start(), iso.start() + 10
        except ValueError:
            pass
    languages = _date_languages(language)
    if _CYRILLIC_WORD.search(text) and not set(languages) & _CYRILLIC_LANGUAGES:
        languages += ("ru",)  # "Posted 11 ноября 2021" on a page in English: the site's own dates
    for span in _date_words(languages).finditer(text):
        tokens = list(re.finditer(r"\S+", span.group()))
        if not any(t.group()[:1].isdigit() for t in tokens):
            continue
        # The longest reading that is a date, from the span's first word or a later one
        # ("10:55, 17 October 2021" is a clock time, then the date).
        for first in range(len(tokens)):
            begin = span.start() + tokens[first].start()
            for count in range(len(tokens), first, -1):
                end = span.start() + tokens[count - 1].end()
                found = _parse_date(text[begin:end].rstrip(" ,./-"), languages, need_year)
                if found is not None:
                    return found, begin, end
    return None, -1, -1


def _library_code(language: str) -> str:
    """A language as dateparser and stop-words name it: py3langid's "no" is their "nb" (Bokmål)."""
    return {"no": "nb"}.get(language, language)


@functools.lru_cache(maxsize=16)
def _date_languages(language: str) -> tuple[str, ...]:
    """The text's language as dateparser names it ("no" is its "nb"), then English; a
    language dateparser does not read (Latin, Haitian) leaves English alone."""
    from dateparser.data.languages_info import language_order

    code = _library_code(language)
    return tuple(dict.fromkeys((code, "en") if code in language_order else ("en",)))


def _parse_date(candidate: str, languages: tuple[str, ...], need_year: bool) -> dt.date | None:
    digits = re.findall(r"\d+", candidate)
    if not digits or (len(digits) == 1 and not re.search(r"[^\W\d_]", candidate)):
        return None  # a lone number is never a date
    has_year = any(len(d) == 4 and 1900 <= int(d) <= 2100 for d in digits)
    short_year = not has_year and bool(re.fullmatch(r"\d{1,2}[./]\d{1,2}[./]\d{2}", candidate))  # "17/10/21"
    has_year = has_year or short_year
    if need_year and not has_year:
        return None
    parts = ("month", "year") if has_year else ("day", "month")
    # "05.10.2021" is day first wherever it is written; "05/10/2021" is day first in every
    # language of the coverage but English, where dateparser reads it month first.
    order = "DMY" if re.search(r"\d\.\d{1,2}\.\d", candidate) or languages[0] != "en" else ""
    data = _date_parser(languages, parts, order).get_date_data(candidate)
    if data is None or data.date_obj is None:
        return None
    day = data.date_obj.date()
    if data.period == "month" and not re.search(r"[^\W\d_]|\d{4}-\d{1,2}\b|\b\d{1,2}[./]\d{4}", candidate):
        return None  # "2021,, 07" is a year and an hour, not July: a month alone is named or written 2021-07
    if not has_year:
        return day.replace(year=1900) if data.period == "day" else None
    if str(day.year) not in digits and not (short_year and str(day.year)[2:] == digits[-1]):
        return None  # a two-digit reading of something else
    return Month(day.year, day.month) if data.period == "month" else day


# "On October 5, 2021 ...", "Il 5 ottobre ...": a preposition before a date starts a sentence.
_PREPOSITIONS = frozenset("on in at by from since until till before after of il lo la le el em en no na am im vom "
                          "seit ab au du dal del desde durante a à в во с со до к от".split())
_DATE_SHAPE = re.compile(r"^(?:[^\W\d_]+:?\s+)?(?:\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[./]\d{1,2}[./]\d{4})\b")


def parse_date_prefix(line: str, language: str = "en") -> tuple[dt.date | None, str | None]:
    """Split a leading date off a line: (date, rest of line).

    The date may follow a label of two words at most ("date", "Published:") and a time
    may follow it. Returns (None, None) when the line does not start with a date.
    """
    date, start, end = find_date(line[:80], language)
    # Up to two words of label before the date ("date", "Published:", "Posted on"); a word
    # and a comma is a place ("Moscovo, 05 out 2021 (Lusa) -"): that is a dateline.
    label = line[:start].split()
    if date is None or len(label) > 2 or re.search(r"[.!?]|,\s*$", line[:start]) \
            or (label and all(w.casefold() in _PREPOSITIONS for w in label)):
        shaped = _DATE_SHAPE.match(line)  # "date 2021-13-45": a date header, but no real date
        return (None, line[shaped.end():].strip()) if shaped else (None, None)
    rest = line[end:]
    rest = re.sub(r"^[\s,]*(?:(?:at|um|às|ore|в|à)\s+)?\d{1,2}[:.h]\d{2}(?::\d{2})?(?:\s*[ap]\.?m\.?)?"
                  r"(?:\s*(?:[A-Z]{2,5}|Uhr|GMT[+-]?\d*|UTC[+-]?\d*))?", "", rest)
    if rest.startswith(",") and re.match(r",\s*(?:the|a|an|la|il|le|o|a|der|die|das)?\s*[^\W\d_]", rest) \
            and not line[:start].strip():
        return None, None  # "October 5, 2021, the spacecraft docked ...": a sentence that opens with its date
    return date, rest.lstrip(" |,:–—-·").strip()


# --------------------------------------------------------------------------- datelines


@dataclass(frozen=True)
class Dateline:
    place: str
    agency: str
    date: dt.date | None
    rest: str


_CREDIT_WORD = re.compile(r"(?i)(credits?|source|sources|quelle|fonte|fuente|источник|note|nota|update|"
                          r"editor|editors|correction|disclaimer)$")
# AP's abbreviations of US states, as datelines write them ("MOUNTAIN VIEW, Calif. —").
_STATE_ABBREVIATIONS = frozenset("Ala Ariz Ark Calif Colo Conn Del Fla Ga Ill Ind Kan Ky La Md Mass Mich Minn Miss "
                                 "Mo Mont Neb Nev Okla Ore Pa Tenn Va Vt Wash Wis Wyo".split())
_CAPS_PLACE = re.compile(r"[A-ZÀ-ÞА-ЯЁ][A-ZÀ-ÞА-ЯЁ'’-]+(?: [A-ZÀ-ÞА-ЯЁ][A-ZÀ-ÞА-ЯЁ'’-]+){0,3}(?=[\s,./(:–—-])")
_PLACE = re.compile(r"[^\W\d_][^\W\d_'’.-]*(?:[ -][^\W\d_][^\W\d_'’.-]*){0,3}?(?=[\s,./(:–—-])")
_PARENS = re.compile(r"\s*\((?P<inside>[^()\n]{2,60})\)")
_SLASHED = re.compile(r"\s*/(?P<inside>[^/\n]{2,30})/\.?")
_SEPARATOR = re.compile(r"\s*(?:[–—:]|-{1,3})\s*")


def split_dateline(paragraph: str, language: str) -> Dateline | None:
    """The dateline at the start of a lede, if any: "BAIKONUR /Kazakhstan/, October 4. /TASS/.",
    "MOSCOW, Oct 17 (Reuters) -", "Baikonur (Kazakhstan) (AFP) -", "(ANSA) - ROMA, 17 OTT -",
    "МОСКВА, 17 октября. /ТАСС/.", "Oct. 5 (UPI) --", "BAIKONUR. KAZINFORM –".

    Read part by part: an agency in brackets before the place; the place; a region in
    slashes or brackets; after commas a region and a date; an agency in brackets or
    slashes (or after a dash, Russian style); then a dash, a colon, or the full stop that
    closes a date or agency. A place in capitals, or a place named with an agency or a
    date, makes a dateline; anything less is the start of a sentence.
    """
    if len(paragraph) <= 120 and credit_alone(paragraph) is not None:
        return None  # "Nyitókép: MTI/AP/Roszkozmosz": a picture's credit, whatever its label
    if (signed := re.match(r"(?P<head>[^—–\n]{8,90}?)\s+[—–]\s+(?=[A-ZÀ-ÞА-ЯЁ\"“«])", paragraph)) \
            and signed.group("head").count(",") >= 2:
        parts = [x.strip() for x in signed.group("head").split(",")]
        when, _, _ = find_date(parts[-1], language)
        if when is not None and all(x[:1].isupper() or x[:1].isdigit() for x in parts):
            # "14ymedio, Juan Diego Rodríguez, Havana, 4 April 2024 — ...": outlet, author, place, date
            return Dateline(_place_name(parts[-2], ""), parts[0], when, paragraph[signed.end():])
    if places := re.match(r"(?P<places>[A-ZÀ-Þ]{3,}(?: [A-ZÀ-Þ]{3,})?(?:/[A-ZÀ-Þ]{3,}(?: [A-ZÀ-Þ]{3,})?)+)\s+"
                          r"(?=[A-ZÀ-Þ][a-zà-ÿ])", paragraph):
        # "MOSKVA/LOS ANGELES Rusko ...": two places, one story
        return Dateline("/".join(_place_name(x, "") for x in places.group("places").split("/")), "", None,
                        paragraph[places.end():])
    if tag := re.match(r"(?P<agency>[A-Z]{3,}-[A-Z]{3,})\s+(?=[A-Z][a-z])", paragraph):
        return Dateline("", _tidy(tag.group("agency")), None, paragraph[tag.end():])  # "OREANDA-NEWS  Partially ..."
    if (two := re.match(r"(?P<place>[A-ZÀ-ÞА-ЯЁ][^\W\d_]{2,} [A-ZÀ-ÞА-ЯЁ][^\W\d_]{2,}):\s+(?=[A-ZÀ-ÞА-ЯЁ\"“«])",
                        paragraph)) and not _LABEL_LINE.match(two.group("place")) \
            and not _CREDIT_WORD.match(two.group("place")):
        return Dateline(two.group("place"), "", None, paragraph[two.end():])  # "New Delhi: The crew ..."
    s = re.sub(r"\(\(([^()\n]{2,60})\)\)", r"(\1)", paragraph[:200])  # "((rezonodwes.com))"
    agency = region = ""
    date = None
    if lead := re.match(r"\((?P<inside>[^()\n]{2,25})\)\s*[–—-]+\s*", s):  # "(ANSA) - ROMA, 17 OTT -"
        agency, s = lead.group("inside"), s[lead.end():]
    found, start, end = find_date(s[:40], language, need_year=False)
    if found is not None and start == 0:  # "Oct. 5 (UPI) --": a date and an agency, no place
        date, place, s = found, "", s[end:]
    else:
        match = _CAPS_PLACE.match(s) or _PLACE.match(s)  # "MOUNTAIN VIEW, Calif. —" is one place
        if not match:
            return None
        place, s = match.group(), s[match.end():]
    if (part := _SLASHED.match(s)) or ((part := _PARENS.match(s)) and _PARENS.match(s[part.end():])):
        region, s = part.group("inside"), s[part.end():]  # "/Kazakhstan/", "(Kazakhstan) (AFP)"
    if place and date is None and s[:1] == " ":  # "Moskva 20. apríla (TASR) —": a date with no comma
        when, start, end = find_date(s[1:32], language, need_year=False)
        if when is not None and start == 0 and _PARENS.match(s[1 + end:]):
            date, s = when, s[1 + end:]
    while s.startswith(","):  # ", Kazakhstan", ", Oct. 5", ", 17 октября"
        after = s[1:]
        lead = len(after) - len(after.lstrip())
        when, start, end = find_date(after[:40], language, need_year=False)
        if when is not None and start == lead and date is None:
            date, s = when, after[end:]
            continue
        part = re.match(r"\s*(?P<part>(?:[A-Z]\.){2,3}(?=\s*[–—-])|[^\W\d_][^\W\d_ -]{1,30}?(?=\s*[,(/.–—:-]))",
                        after)  # "Kazakhstan", "U.K."
        if part and not region and date is None and len(part.group("part").split()) <= 3 \
                and part.group("part")[:1].isupper():
            region, s = part.group("part"), after[part.end():]
            if region in _STATE_ABBREVIATIONS and re.match(r"\.\s*[–—-]", s):  # "Calif. —" keeps its stop
                region, s = region + ".", s[1:]
            continue
        return None  # "NASA, SpaceX and ...": what follows the comma is neither
    closed = False
    if place and not date and (stop := re.match(r"\.\s*", s)):
        when, start, end = find_date(s[stop.end():stop.end() + 24], language, need_year=False)
        if when is not None and start == 0:  # "MOSCOW. Oct 5 (Interfax) -"
            date, s = when, s[stop.end() + end:]
    if place and " " not in place and not (region or date or agency) and re.match(r"\.\s+[^\W\d_]", s) \
            and not re.match(r"\.\s*[A-ZА-ЯЁ]{3,}\b\s*[–—-]", s):
        # "Moskau. Am Dienstag ...": a town and a full stop, the German house style
        rest = s[1:].strip() + paragraph[200:]
        if len(place) >= 4 and place[:1].isupper() and not place.isupper() \
                and place.casefold() not in _function_words(language) and rest[:1].isupper():
            return Dateline(_place_name(place, ""), "", None, rest)
        return None
    if s.startswith("."):
        s, closed = s[1:], bool(date)
    if part := _PARENS.match(s) or _SLASHED.match(s):
        agency, s, closed = agency or part.group("inside"), s[part.end():], True
        if re.match(r"\.\s*[–—-]", s):  # "Moscow, Oct 17 (EFE).- ..."
            s = s[1:]
    elif date and ((part := re.match(r"\s*[–—]\s*(?P<inside>[^\W\d_][^\n.–—]{1,25}?)\.\s", s))
                   or (part := re.match(r"\s*[–—-]\s*(?P<inside>[A-ZА-ЯЁ][A-ZА-ЯЁ0-9 -]{1,25})\.$", s))):
        # "— РИА Новости. ...", or a line of its own ending in an agency in capitals: "- DIXINEWS."
        agency, s, closed = part.group("inside"), s[part.end() - 1:].lstrip("."), True
    elif place and (part := re.match(r"\s*[–—-]\s*(?P<inside>" + _NEWS_AGENCIES + r"|" + _WIRES_WORD
                                     + r")\s*$", s)):
        agency, s, closed = part.group("inside"), "", True  # "موسكو – وكالات" alone on the first line
    elif place and (part := re.match(r"\s*\.?\s*(?P<inside>[A-ZА-ЯЁ]{3,}[\w-]*)(?=\s*[–—-])", s)):
        agency, s = part.group("inside"), s[part.end():]  # "BAIKONUR. KAZINFORM –"
    separator = _SEPARATOR.match(s)
    if separator:
        s = s[separator.end():]
        when, start, end = find_date(s[:24], language, need_year=False)
        if when is not None and start == 0 and (after := re.match(r"\s*[:–—-]+\s*", s[end:])):
            date, s = date or when, s[end + after.end():]  # "KAZAKHSTAN:17/10/21: Russian actress ..."
    elif not closed:
        return None
    rest = s.lstrip() + paragraph[200:]
    if not date and (re.fullmatch(_AGENCY, place) or _CAPTION_CREDIT.match(rest) and len(rest.split()) <= 12):
        return None  # "TASS – Photo by X / Wikimedia Commons": a credit, not a dateline
    letters = re.sub(r"\W", "", place)
    capitals = letters.isupper() and len(letters) >= 3
    if not rest[:1].isupper() and rest[:1] not in "\"“«„'‘(" and not rest[:1].isdigit():
        return None
    colon = separator is not None and (separator.group().strip() == ":"
                                       or re.fullmatch(r"\s+[-–—]\s+", separator.group()) is not None)
    # "Moscow: A Russian actress ...", "Moskau - Die Dreharbeiten ...": one place name and a colon or a
    # spaced dash, as some outlets write it
    named = colon and " " not in place and place[:1].isupper() and len(place) >= 4 and not _LABEL_LINE.match(place) \
        and not _IMAGE_MARKER.match(place + ":") and not _CREDIT_WORD.match(place) \
        and place.casefold() not in _function_words(language)
    if not (capitals or agency or date or named) or (place and not capitals and not (agency or date or named)):
        return None
    if capitals and not (agency or date or region) and (len(letters) < 4 or not separator):
        return None
    agency = _tidy(agency)
    if re.fullmatch(r"[\w-]+\.[a-z]{2,}", agency):
        agency = ""  # "((rezonodwes.com))": the site names itself; it is no agency
    if agency and (len(agency.split()) > 4 or agency[:1].islower() and not agency.isalpha()):
        return None
    return Dateline(_place_name(place, region), agency, date, rest.strip())


def _tidy(name: str) -> str:
    """"KAZINFORM" -> "Kazinform"; short capitals (TASS, AFP) and mixed case stay; of a long
    bracket ("UrduPoint / Pakistan Point News - 5th Oct, 2021") the first name."""
    name = re.split(r"\s+[/|–—-]\s+|,", name)[0].strip(" .")
    if name.isupper() and len(name.replace(" ", "")) > 5:  # "EUROPA PRESS" -> "Europa Press"
        return " ".join("-".join(part.capitalize() for part in word.split("-")) for word in name.split())
    return name


def _place_name(place: str, region: str) -> str:
    """"BAIKONUR", "Kazakhstan" -> "Baikonur, Kazakhstan": how a reader writes it."""
    def tidy(name: str) -> str:
        return " ".join("-".join(part.capitalize() for part in w.split("-"))  # "НУР-СУЛТАН" -> "Нур-Султан"
                        if w.isupper() and len(w) > 2 and "." not in w else w  # "U.K." stays
                        for w in name.split())

    return ", ".join(part for part in (tidy(place), tidy(region.strip())) if part)


# --------------------------------------------------------------------------- captions and posts


def caption_of(text: str) -> tuple[str, str] | None:
    """(caption, credit) when a unit is a photo caption, else None.

    A caption ends in its credit ("Photo: NASA TV", "(Image credit: Roscosmos via
    Twitter)", "... via REUTERS", "AFP/Getty Images", "/ ZUMAPRESS.com": a credit names
    who took or supplied the picture and ends the unit with no full stop after it), or
    says what the picture shows ("Pictured from left are ...", "Nella foto ..."); the
    credit is "" when the text gives none.
    """
    if len(text.split()) > 80:
        return None
    if found := _credited_caption(text):
        return found
    if _CAPTION_OPENER.match(text) and len(text.split()) >= 5:
        return text, ""
    return None


# How captions open, in the languages of the coverage: no story sentence starts so.
_CAPTION_OPENER = re.compile(
    r"^(?:Pictured(?::| (?:from )?(?:left|right|above|below|here|are|is)\b)|(?:In|On) (?:the|this) (?:handout |file )?"
    r"(?:photo|picture|image)\b|This (?:handout |file )?(?:photo|photograph|picture|image) (?:shows|taken|released)\b|"
    r"Nella foto\b|In foto\b|Na (?:foto|imagem)\b|En la (?:foto|imagen|fotografía)\b|На (?:фото|снимке)\b|"
    r"Im Bild\b|Auf dem Bild\b|Sur (?:la|cette) photo\b)", re.IGNORECASE)


def _credited_caption(text: str) -> tuple[str, str] | None:
    match = _CAPTION_CREDIT.match(text)
    if match and re.fullmatch(_AGENCY, match.group("caption").strip(" ([-–—|:")):
        return None  # "TASS – Photo by X": an agency is no caption; the line is a credit alone
    if match and match.group("caption").strip(" ([-–—|").casefold() not in ("", "image", "photo", "picture", "video") \
            and len(match.group("credit").split()) <= 10:
        return match.group("caption").strip(" ([-–—|"), _credit(match.group("label"), match.group("credit"))
    lead = _LEADING_CREDIT.match(text) or _LABELLED_LEAD.match(text)
    if lead and len(lead.group("caption").split()) >= 3:
        return lead.group("caption").strip(), lead.group("credit").strip()
    if social := _SOCIAL_CREDIT.match(text):
        return social.group("caption").strip(), social.group("credit").strip()
    if text[-1:] in ".!?…:;,":
        return None
    if (dash := re.match(r"^(?P<caption>.{3,200}?) (?P<bar>[-–—|]) (?P<credit>[^-–—|]{2,60})$", text)) \
            and (_only_credit(dash.group("credit")) or dash.group("bar") == "|" and re.fullmatch(
                r"[A-ZÀ-ÞА-ЯЁ0-9][A-ZÀ-ÞА-ЯЁ0-9 .&-]{2,30}", dash.group("credit"))) \
            and not dash.group("credit")[:1].islower() and len(dash.group("caption").split()) >= 2:
        return dash.group("caption").strip(), dash.group("credit").strip()  # "Yulia Peresild - ROSCOSMOS"
    match = _TRAILING_CREDIT.match(text)
    if match and len(match.group("caption").split()) < 3:
        # "Roscosmos CEO Dmitry Rogozin Sergei Savostyanov/TASS": the credit is a name of two
        # words and its desk, not every capitalised word before the slash
        match = _SHORT_TRAILING_CREDIT.match(text) or match
    if match and len(match.group("caption").split()) >= 3:
        credit = match.group("credit").strip(" /()[]")
        caption = match.group("caption").strip(" ([-–—|/")
        # A sentence that merely ends with an agency's name ("... said Roscosmos") has no
        # full stop before the credit and runs on: a caption's text ends or breaks there.
        before = match.group("caption").rstrip()
        if before[-1:] in ".!?”\")" or text[len(before):].lstrip()[:1] in "([/©" or "/" in credit \
                or re.match(r"(?:[\w.'’-]+ ){0,4}(?:via|by) ", credit):
            return caption, credit
    return None


def _credit(label: str, credit: str) -> str:
    label = label.capitalize() if label.isascii() else label
    credit = credit.strip()
    if not re.search(r"\b[A-ZА-Я]\.$", credit):  # "Ю. А. Гагарина." loses its full stop; "Ю. А." keeps it
        credit = credit.rstrip(".")
    return f"{label}: {credit}"


# --------------------------------------------------------------------------- parsing


# "... intitulé "Le Défi". IMAGES": the label of the video the text described, glued to it
_LABEL_TAIL = re.compile(r"(?<=[.!?\"”»])\s+(?:IMAGES|VIDEO|VIDÉO|VÍDEO|PHOTOS|FOTOS|FOTO|ВИДЕО|ФОТО)$")
# "Лансирање „Сојуза“ - Sputnik Србија, 1920, 05.10.2021": a picture's title with its site, width and date
_PICTURE_STAMP = re.compile(r"\s+-\s+[^,\n]{2,40},\s+\d{3,4},\s+\d{1,2}\.\d{1,2}\.\d{4}$")
_STAMPED = re.compile(r"(\.\.\.|…|[.!?])\s+\d{1,2}\.\d{1,2}\.\d{4},\s+[^\W\d_][\w .'’-]{1,40}$")


def _unmarked(text: str) -> str:
    """A unit without what pages glue to it: a cut description's date and site, a video's
    label, a picture's stamp, and raw links whose text is kept ("<a href=...>here</a>")."""
    text = _STAMPED.sub(r"\1", text)
    text = _PICTURE_STAMP.sub("", _LABEL_TAIL.sub("", text))
    return re.sub(r"<a\b[^>]*>(.*?)</a>", r"\1", text, flags=re.IGNORECASE | re.DOTALL)


def _without_teasers_of_itself(units: list[Unit]) -> list[Unit]:
    """The units without the page's teasers of its own lede: a line cut with an ellipsis
    that a later paragraph begins with ("On September 19-23, the festival ... the Ministry...")."""
    def teases(k: int) -> bool:
        text = units[k].text
        if not text.endswith(("...", "…")):
            return False
        start = text.rstrip(".… ")
        return len(start) >= 30 and any(u.text.startswith(start) and len(u.text) > len(text) for u in units[k + 1:])
    return [u for k, u in enumerate(units) if not teases(k)]


def parse_seed(name: str, data: bytes, residue_patterns: tuple[str, ...] = ()) -> ArticleDraft:
    """Turn one seed text into an article draft. Pure: the same inputs give the same draft.

    ``name`` is the seed's file name (recorded as ``seed`` and used in messages as
    ``seeds/<name>``); ``residue_patterns`` extend ``DEFAULT_RESIDUE``.
    """
    path = f"seeds/{name}"
    text, notes = decode_seed(path, data)
    text, repaired = repair_mojibake(path, text)
    # a page's description, cut, then its date and site: "... en... 14.05.2021, Sputnik Mundo"
    units = _without_teasers_of_itself([Unit(_unmarked(u.text), u.line) for u in split_units(text)])
    if not units:
        raise ProjectError(error(path, 0, "seed is empty: it holds only spaces and control characters",
                                 "add the article text or remove the file"))
    reading = _Reading(path, text, warnings=[*notes, *repaired])
    reading.language = detect_language(units)
    residue = _compile_residue(residue_patterns)
    units, tail = _drop_tail(units, residue)
    title, units = _read_header(units, reading, residue)
    reading.title = title
    body = _body_blocks(units, reading, residue)
    paragraphs = [b for b in body if _is_paragraph(b)]
    if not body:
        raise ProjectError(error(path, 0, "no article text left after removing headers and residue",
                                 "check that the file holds the article's paragraphs"))
    # A page of a caption and a list has no paragraph: its first item stands for the lede.
    first = paragraphs[0] if paragraphs else next((b for b in body if not b.startswith("Caption: ")), body[0])
    lede = _plain(re.sub(r"^(?:- |> |## |Caption: )", "", first).split("\n")[0])
    if not title and tail and len(paragraphs) >= 2 and _headline_after_story(paragraphs[-1], lede, reading.language):
        # A blog's repost: the teaser, then the source's headline, then the blog's footer (a
        # text cut mid-sentence has no footer, and its last line only looks like a headline).
        title = _plain(paragraphs[-1])
        body.remove(paragraphs.pop())
    if not title:
        title = title_from_lede(lede, reading.language)
    if not title.strip():  # a lede of punctuation alone: the build would refuse an empty title
        title = _capitalise(Path(name).stem.replace("-", " ").replace("_", " ").strip()) or "Untitled"
        reading.warnings.append(warning(path, 0, f"no headline or first sentence to take a title from; "
                                                 f"titled {title!r} after the file name",
                                        "write the title into the new content file"))
    if reading.date is None:
        reading.date = _trailing_date(units, reading)
    if reading.date is None and tail and re.match(r"(?:Reviewed|Posted|Written|Published) by\b", tail[0].text):
        # "Reviewed by X / on / October 06, 2021": the footer's byline dates the post
        reading.date = _trailing_date(tail[:4], reading)
    return ArticleDraft(
        seed=name,
        title=title,
        body="\n\n".join(body) + "\n",
        date=reading.date,
        summary=reading.deck or summary_from_lede(lede),
        credit=reading.credit,
        # Judged on the story's last block: one that ends in a caption, a post or a list
        # ended where the page put them, not mid-sentence.
        truncated=bool(paragraphs) and _is_paragraph(body[-1]) and is_truncated(_plain(body[-1])),
        language=reading.language,
        dateline=reading.dateline,
        agency=reading.agency,
        warnings=tuple(reading.warnings),
    )


def _headline_after_story(paragraph: str, lede: str, language: str) -> bool:
    """Whether the story's last paragraph is its headline, printed after it: a line shaped
    like a headline that shares three content words with the lede."""
    text = _plain(paragraph)
    common = _function_words(language)
    shared = {w[:4] for w in _stems(text, common)} & {w[:4] for w in _stems(lede, common)}  # "film", "filmed"
    return 4 <= len(text.split()) <= 20 and text[-1] not in ".!?…:;," and _headline_score(text, False) > 0 \
        and len(shared) >= 3


def _is_paragraph(block: str) -> bool:
    return not block.startswith(("## ", "Caption: ", "> ", "- "))


@functools.lru_cache(maxsize=8)
def _compile_residue(extra: tuple[str, ...]) -> re.Pattern[str]:
    """One case-insensitive pattern for all residue lines, built-in and configured."""
    return re.compile("|".join(f"(?:{p})" for p in (*DEFAULT_RESIDUE, *extra)), re.IGNORECASE)


def _is_residue(text: str, residue: re.Pattern[str]) -> bool:
    return bool(residue.fullmatch(text)) and not _IMAGE_MARKER.match(text) or _keyword_list(text)


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


def _drop_tail(units: list[Unit], residue: re.Pattern[str]) -> tuple[list[Unit], list[Unit]]:
    """Drop blocks of links to other stories and the page's tail; return the units kept
    and the tail dropped after the story's end.

    After a heading such as "Related Stories" or "Leia também", the lines that are not
    sentences are other stories' headlines. From a comment form on, or from such a
    heading after which prose no longer dominates, nothing is the story's any more
    unless it is a real paragraph of prose.
    """
    out: list[Unit] = []
    i = 0
    while i < len(units):
        unit = units[i]
        i += 1
        if len(out) < 2 or not _TAIL_START.match(unit.text.rstrip(" :")):
            out.append(unit)
            continue
        rest = units[i:]
        # (and the credit line, "with inputs from PTI", which names who filed the story)
        # (a teaser's summary cut with an ellipsis is not the story's)
        prose = [u for u in rest if (_is_prose(u.text) or _CREDIT_LINE.match(u.text))
                 and not _is_residue(u.text, residue) and not u.text.endswith(("...", "…"))]
        if out and len(out[-1].text.split()) < 5 and out[-1].text[-1] not in _TERMINAL and len(out) > 2:
            out.pop()  # "Questo contenuto è" / "riservato agli abbonati": the notice's first half
        if _COMMENTS.match(unit.text) or len(prose) * 2 < len(rest):
            return out + prose, units[i - 1:]
        while i < len(units) and i < len(units) and units[i].text[-1] not in _TERMINAL:
            i += 1  # the headlines of the linked stories
    return out, []


_COMMENTS = re.compile(r"^(Leave a (Reply|Comment)|Comments?( \(\d+\))?|No comments:?|Lascia un commento|"
                       r"Nessun commento:?|Please enter your comment!?|Subscribe to continue reading|"
                       r"(Questo contenuto è )?riservato agli abbonati|Bitte melden Sie sich an.*|"
                       r"Para continuar (a ler|lendo).*|Per continuare a leggere.*|Чтобы продолжить чтение.*|"
                       r"Deixe (um comentário|uma resposta)|Schreibe einen Kommentar|Комментарии|"
                       r"Оставить комментарий|Source link)\s*:?$", re.IGNORECASE)


def _is_prose(text: str) -> bool:
    """A paragraph of running text: long enough, and ending as a sentence ends."""
    return len(text.split()) >= 25 and text[-1] in _TERMINAL


# --------------------------------------------------------------------------- the header


def _read_header(units: list[Unit], reading: _Reading, residue: re.Pattern[str]) -> tuple[str, list[Unit]]:
    """Find the headline, deck, date and dateline among the first units; return the title
    ("" when the text has no headline) and the units of the story, header removed.

    Pages put their name, navigation and section above the headline, and the deck,
    byline, date and photo below it: of the lines that read as a headline, the one
    nearest the story is the headline, unless it is a long line right after a shorter
    one (an agency's deck, written without a full stop).
    """
    start = _body_start(units, reading, residue)
    header, rest = units[:start], list(units[start:])
    title = ""
    candidates: list[tuple[int, int, str]] = []  # (score, position, text)
    decks: list[tuple[int, str]] = []  # (position, text) of sentences that may be the standfirst
    dates: list[tuple[int, dt.date]] = []
    kept: list[Unit] = []  # captions met in the header go to the top of the story
    shown: set[str] = set()
    breaks: set[int] = set()  # positions of dates, bylines and captions: they end a run of headline lines
    crumbed: set[str] = set()
    captioned: set[int] = set()  # positions of captions kept for the story
    after_date = False
    common = _function_words(reading.language)
    story = _stems(" ".join(u.text for u in rest[:3]), common)
    for position, unit in enumerate(header):
        line = _unglued_kicker(unit.text, reading.language)
        # (a line that shares no word with the story, "Ваши билеты в личном кабинете", is a site's)
        seen_headline = any(c[0] >= 3 and len(c[2].split()) >= 4 and (not story or _stems(c[2], common) & story)
                            for c in candidates)  # not a site name
        following = header[position + 1].text if position + 1 < len(header) else ""
        if following.startswith(line) and (_only_credit(credit := following[len(line):].strip(" -–—|"))
                                           or credit_alone(credit) is not None):  # "...2021.PHOTO: AFP"
            continue  # a picture's alt text, then its caption with the credit
        if following and len(following) > 20 and line.startswith(following) and len(line) - len(following) <= 10:
            continue  # alt text that adds ", photo" to the caption that follows
        if _small_alt_text(line, reading.text):
            continue  # "yulia peresild tom cruise": a picture's alt text, its names written small
        if len(line.split()) <= 2 and not re.search(r"\d", line) and following \
                and (caption_of(following) or _IMAGE_MARKER.match(following)):
            continue  # "Soyuz undocking": a picture's label above its caption (three words may be a headline)
        if seen_headline and position + 1 < len(header) and _fold(line) == _fold(header[position + 1].text) \
                and len(line) > 30:
            continue  # a picture's alt text, then the same words as its caption: the caption follows
        date, remainder = parse_date_prefix(line, reading.language)
        if remainder is not None:
            if date is None:
                _note_date(reading, date, unit)
            else:
                dates.append((position, date))
            after_date = True
            breaks.add(position)
            if not remainder or _is_residue(remainder, residue) or len(remainder.split()) <= 3 \
                    or re.search(r"\s[—–-]\s*[A-ZА-ЯЁ]{2,6}$", remainder) \
                    or _METADATA.search(remainder) or _NAV_LINE.match(remainder) \
                    or (len(remainder.split()) < 10 and find_date(remainder, reading.language)[0] is not None):
                # "| Updated 17/10/2021"
                continue
            line = remainder
        elif (when := _byline_date(line, reading.language)) is not None:
            dates.append((position, when))
            after_date = True
            breaks.add(position)
            continue
        when, start, end = find_date(line, reading.language) if len(line) <= 60 else (None, 0, 0)
        if when is not None and len(re.findall(r"[^\W\d_]{3,}", line[:start] + " " + line[end:])) <= 2:
            dates.append((position, when))  # "So. Nov 24th, 2024": a date line, whatever its punctuation
            breaks.add(position)
            continue
        if (alone := split_dateline(line, reading.language)) is not None and not alone.rest \
                and (alone.agency or alone.date):
            # "MADRID, 14 May. (EUROPA PRESS) -" on a line of its own, above the lede
            reading.dateline, reading.agency = alone.place, alone.agency or reading.agency
            breaks.add(position)
            continue
        if desk := _DESK_AGENCY.match(line):
            reading.agency = reading.agency or desk.group("agency").strip()
            continue
        if _BYLINE.match(line):
            breaks.add(position)
            continue
        if crumb := _ends_in_other_line(line, header):
            crumbed.add(_fold(crumb).rstrip("."))  # "Home WorldEurope <headline>": a breadcrumb run together
            continue
        if _NAV_LINE.match(line):
            crumbs = re.split(r"\s(?:[·•|›»>/]|::)\s", line)
            crumbed.add(_fold(crumbs[-1]).rstrip("."))  # a breadcrumb ends with the headline
            when, _, _ = find_date(" ".join(crumbs[:-1]), reading.language)  # "Main » 2021 » October » 9"
            if when is not None:
                dates.append((position, when))
            continue
        if not candidates and re.fullmatch(_TEASER, line, re.IGNORECASE) and len(line.split()) >= 5:
            candidates.append((2, position, line))  # weak: any headline below it wins
            continue
        if _is_residue(line, residue) or _LABEL_LINE.match(line) \
                or (_menu(line, reading.language) and not any(c[0] >= 3 and len(c[2].split()) >= 4
                                                              for c in candidates)
                    and len(_stems(line, common) & story) < 2):  # (a title-case headline tells the story)
            continue
        repeated = seen_headline and position > 0 and _fold(line) == _fold(header[position - 1].text)
        if repeated:
            reading.captions.add(_fold(line))
        if credit_alone(line) is not None:  # the credit line under a caption kept just before
            breaks.add(position)
            if position - 1 in captioned:
                kept.append(unit)
            continue
        if _IMAGE_MARKER.match(line) or caption_of(line) or _credit_line(line, reading) \
                or _credit_follows(header, position) and not _echoed_below_credit(header, position, common) \
                or repeated:
            breaks.add(position)
            captioned.add(position)
            kept.append(Unit(line, unit.line))
            shown.update(_fold(part) for part in (line, *(caption_of(line) or ())))
            continue
        if _fold(line) in shown or any(c.startswith(_fold(line)) for c in shown if len(line) > 30):
            continue  # the same caption again, without its credit
        score = _headline_score(line, after_date)
        if score == 0 and len(line.split()) >= 15 and len(sentences(line)) >= 2 and not _is_deck(line):
            kept.append(Unit(line, unit.line))  # prose the header rules do not know: never lose it
            continue
        if _fold(line).rstrip(".") in crumbed and len(line.split()) >= 4:
            score = 10  # the page's own breadcrumb names it (a section's name it names too is no headline)
        if score > 0:
            candidates.append((score, position, line))
        if _is_deck(line) or score == 0 and 25 < len(line.split()) <= 60 and len(sentences(line)) == 1:
            decks.append((position, line))  # (a standfirst too long for a headline, with no full stop)
    best = _settle_headline(candidates, breaks, header, reading, kept, story)
    if best is not None:
        title = _clean_headline(best[2], reading.text)
        # Above the headline, a long sentence describing a scene is a picture's caption
        # (its credit lost); a standfirst there is short.
        for p, t in [d for d in decks if d[0] < best[1] and len(d[1].split()) > 35]:
            decks.remove((p, t))
            reading.captions.add(_fold(t))
            kept.insert(0, Unit(t, header[p].line))
        # The standfirst: a sentence near the headline, or the longer line right after it.
        decks = [d for d in decks if not _labels_title(d[1], title)]
        near = [d for d in decks if d[0] != best[1]]
        # (or one a picture or a counter apart: "Together with her, ... will fly")
        near += [(p, t) for _, p, t in candidates
                 if (p == best[1] + 1 and len(t.split()) >= 8 or best[1] + 1 < p <= best[1] + 6 and len(t.split()) > 16)
                 and len(t) > len(best[2]) and (p, t) not in near and not _labels_title(t, title)]
        if near:
            chosen = min(near, key=lambda d: abs(d[0] - best[1]))
            reading.deck = _plain_summary(chosen[1])
            decks = [d for d in decks if d != chosen]
    elif rest and after_date and _headline_score(rest[0].text, True) > 0 and len(rest) > 1:
        title = _clean_headline(rest.pop(0).text, reading.text)
    # Sentences of the header that are neither headline nor deck are the story's: without a
    # headline, a chapeau above the byline is the first paragraph.
    kept += [Unit(text, header[p].line) for p, text in decks if best is None or p != best[1]]
    if dates and reading.date is None:
        # A site's clock sits above the headline; the story's date below it wins.
        below = [d for p, d in dates if best is not None and p > best[1]]
        reading.date = below[0] if below else dates[-1][1]
    # A paragraph kept from the header (one the page left without its full stop) may be the
    # lede, and carry the dateline: "14ymedio, ..., Havana, 4 April 2024 — The launch ..."
    prose = next((k for k, u in enumerate(kept) if len(u.text.split()) >= 15 and not caption_of(u.text)
                  and _fold(u.text) not in reading.captions), None)
    if prose is not None and split_dateline(kept[prose].text, reading.language) is not None:
        kept[prose] = _strip_lede_prefix(kept[prose], reading, residue)
    elif rest:
        written = rest[0].text
        rest[0] = _strip_lede_prefix(rest[0], reading, residue)
        reading.lede_as_written = written if _fold(written) != _fold(rest[0].text) else ""
        if not reading.lede_as_written and len(rest) > 1 and len(written.split()) <= 25 and not reading.dateline:
            # a short deck first, then the lede with its dateline: "Moskau Die Sowjetunion hat ..."
            rest[1] = _strip_lede_prefix(rest[1], reading, residue)
    return title, kept + rest


def _unglued_kicker(line: str, language: str) -> str:
    """A headline without the kicker the copy glued to it: "Filmdreh im WeltraumSie ist die
    erste ..." is "Sie ist die erste ...". Only where the glued word is a function word of
    the language, so that "SpaceX" or "YouTube" stay whole."""
    glued = re.search(r"(?<=[a-zß-ÿа-яё])([A-ZÀ-ÞА-ЯЁ][a-zß-ÿа-яё]{1,5})\s", line)
    if glued and len(line[:glued.start()].split()) >= 2 \
            and glued.group(1).casefold() in _function_words(language):
        return line[glued.start():]
    return line


def _settle_headline(candidates: list[tuple[int, int, str]], breaks: set[int], header: list[Unit],
                     reading: _Reading, kept: list[Unit], story: set[str]) -> tuple[int, int, str] | None:
    """The headline among the candidates, once the page's pictures have had their say: a
    short line with a credit under it is a caption, a line that shares no word with the
    story yields to one that does, and a caption that says the headline again, or a line
    below the headline printed twice, never takes its place."""
    common = _function_words(reading.language)
    for candidate in [c for c in candidates if c[1] + 1 < len(header) and len(c[2].split()) <= 20
                      and credit_alone(header[c[1] + 1].text) is not None]:
        if any(c[1] < candidate[1] and c[0] >= 3 and len(c[2].split()) >= 4 for c in candidates):
            # under the headline, a short line with a credit below it is the picture's caption
            candidates.remove(candidate)
            breaks.add(candidate[1])
            reading.captions.add(_fold(candidate[2]))
            kept.append(Unit(candidate[2], header[candidate[1]].line))
    best = _choose_headline(candidates, breaks)
    if best is None:
        return None
    # A headline tells the story in brief: it shares words with the lede. A line that
    # shares none (a banner, a menu, a motto, a credit) loses to one that shares some.
    if story and not _stems(best[2], common) & story:
        sharing = [c for c in candidates if c != best and c[0] >= 3 and len(_stems(c[2], common) & story) >= 2]
        best = sharing[-1] if sharing else best
    earlier = [c for c in candidates if c[1] < best[1] and c[0] >= 3 and len(c[2].split()) >= 4]
    echoes = [c for c in earlier if any(c[1] < b < best[1] for b in breaks) and _says_again(c[2], best[2], common)]
    if echoes:  # "Photo: BBC" / "Russia will shoot a film in space": the caption says the headline again
        reading.captions.add(_fold(best[2]))
        kept.append(Unit(best[2], header[best[1]].line))
        best = echoes[-1]
    printed = collections.Counter(_fold(u.text) for u in header)
    doubled = [c for c in earlier if c[1] < best[1] and printed[_fold(c[2])] >= 2 and printed[_fold(best[2])] < 2]
    if doubled:  # the headline printed twice (the page's title, then its picture's): the line below is the deck
        best = doubled[-1]
        reading.captions.discard(_fold(best[2]))
    return best


def _says_again(line: str, shorter: str, common: frozenset[str]) -> bool:
    """Whether ``line`` holds most (60%) of the content words of ``shorter``: a caption that
    says the headline again, or the headline a caption repeats."""
    said = _stems(shorter, common)
    return bool(said) and len(_stems(line, common) & said) >= 0.6 * len(said)


def _echoed_below_credit(header: list[Unit], position: int, common: frozenset[str]) -> bool:
    """Whether the line after the credit under ``position`` says the same in fewer words: then
    the credit opens that caption ("Photo: BBC" / "Russia will shoot a film in space") and the
    line above is the headline, not a caption."""
    if position + 2 >= len(header):
        return False
    return len(header[position + 2].text.split()) <= 12 \
        and _says_again(header[position].text, header[position + 2].text, common)


def _ends_in_other_line(line: str, header: list[Unit]) -> str:
    """The header line that ``line`` ends with after a few words of its own ("Home WorldEurope
    Russian film crew returns"), or "": a breadcrumb whose separators the copy lost."""
    for other in header:
        text = other.text
        prefix = line[: -len(text)].rstrip()
        if len(text.split()) >= 4 and text != line and line.endswith(" " + text) \
                and len(prefix.split()) <= 4 and prefix[-1:] not in ".!?:":  # ("New propaganda. <headline>")
            return text
    return ""


def _menu(line: str, language: str) -> bool:
    """A menu of sections ("Última Hora País Mundo Cultura Desporto Opinião"): six or more
    capitalised words and not one function word among them, which a headline always has."""
    words = [w for w in line.split() if re.search(r"[^\W\d_]", w)]  # "&" is not a word
    common = _function_words(language)
    # Short function words only: the stop lists also hold "home" and "world".
    return len(words) >= 6 and all(w[:1].isupper() for w in words) \
        and not any(len(w) <= 3 and w.casefold() in common for w in words)


def _choose_headline(candidates: list[tuple[int, int, str]], breaks: set[int]) -> tuple[int, int, str] | None:
    """The headline among header lines that read as one (score, position, text).

    The last run of such lines before the story (with nothing but furniture between them:
    a date, byline or caption ends a run) is the site's name, the headline and its deck
    in that order; the headline is the first of them, unless that one is much longer
    than the next (a caption above the headline, written without its credit).
    """
    if not candidates:
        return None
    if named := [c for c in candidates if c[0] >= 10]:
        return named[-1]
    strong = [c for c in candidates if c[0] >= 3 and len(c[2].split()) >= 4] \
        or [c for c in candidates if c[0] >= 3]
    if not strong:  # only weak lines: the best of them, the nearest the story among equals
        best = max(c[0] for c in candidates)
        chosen = [c for c in candidates if c[0] == best][-1]
        # a name alone ("Юлия Пересильд", a portrait's caption) says less than the lede
        words = chosen[2].split()
        return None if len(words) == 2 and all(w[:1].isupper() for w in words) else chosen
    run = [strong[-1]]
    for candidate in reversed(strong[:-1]):
        if any(candidate[1] < b < run[0][1] for b in breaks):
            break
        run.insert(0, candidate)
    while len(run) > 1 and len(run[0][2].split()) >= max(14, 1.5 * len(run[1][2].split())):
        run.pop(0)
    earlier = [c for c in strong if c[1] < run[0][1] and len(c[2].split()) >= 5 and not c[2].isupper()]
    if len(run) == 1 and len(run[0][2].split()) > 16 and earlier:
        # A long line alone under a picture, a counter or a date, with a headline above
        # them: the standfirst, which some pages print below the headline's picture.
        return earlier[-1]
    return run[0]


def _body_start(units: list[Unit], reading: _Reading, residue: re.Pattern[str]) -> int:
    """The index of the first unit of the story itself: the first paragraph of prose that
    is not a caption, a deck before a headline or a byline, or furniture; or the first
    list of the story, with its heading. Only the first few units can be header; a text
    of short paragraphs is read a second time with a lower bar, and a text whose lines
    all stop short (an excerpt) a third time, by length alone."""
    for least, closed in ((20, True), (8, True), (40, False)):
        headline_seen = False
        for i, unit in enumerate(units[:30]):
            text = unit.text
            _, remainder = parse_date_prefix(text, reading.language)
            if remainder is not None:
                text = remainder
            if not text or _is_residue(text, residue) or caption_of(text) or _IMAGE_MARKER.match(text):
                continue
            if i + 2 < len(units) and credit_alone(units[i + 1].text) is not None and len(text.split()) <= 60 \
                    and len(sentences(text)) <= 2 and _headline_score(units[i + 2].text, False) >= 3 \
                    and units[i + 2].text[-1] not in _TERMINAL:
                continue  # a picture's caption, its credit on the next line, above the headline
            # "Key points" and its list, under the headline; not a menu of one-word items
            if i > 1 and (bullet := _BULLET.match(text)) and len(bullet.group("text").split()) >= 4:
                before = units[i - 1].text
                heading = _headline_score(before, False) > 0 and len(before.split()) <= 6 \
                    and _byline_date(before, reading.language) is None
                return i - 1 if heading else i
            lede = _is_lede(text, least) if closed else len(text.split()) >= least
            if lede and not (least == 20 and len(text.split()) < 45
                             and _header_follows(units, i, residue, reading, headline_seen)):
                # A dateline opens the story, or a paragraph that says the same again in
                # other words: a short paragraph before it is the deck.
                if len(text.split()) < 60 and split_dateline(text, reading.language) is None:
                    j = i + 1
                    while j < min(i + 5, len(units)):
                        # (a residue line such as "LEGGI ANCHE: ..." is no dateline, whatever its capitals)
                        if split_dateline(units[j].text, reading.language) is not None \
                                and not _is_residue(units[j].text, residue) \
                                or _fold(units[j].text) == _fold(text) \
                                or _restates(units[j].text, text) and not caption_of(units[j].text):
                            return j
                        # over the deck's picture, a date line or a label, not over the story's paragraphs
                        if j > i + 1 and not (caption_of(units[j].text) or len(units[j - 1].text.split()) <= 3
                                              or _is_residue(units[j - 1].text, residue)
                                              or _is_residue(units[j].text, residue)
                                              or _BYLINE.match(units[j].text) or _CREDIT_LINE.match(units[j].text)
                                              or credit_alone(units[j].text) is not None
                                              or credit_alone(units[j - 1].text) is not None
                                              or _byline_date(units[j].text, reading.language)):
                            break
                        j += 1
                return _with_short_lede(units, i, reading)
            if _headline_score(text, False) >= 3 and len(text.split()) >= 5 and not _NAV_LINE.match(text):
                headline_seen = True
    return 0


def _restates(paragraph: str, deck: str) -> bool:
    """Whether ``paragraph`` opens with the deck's words, give or take a few (a standfirst
    that the lede repeats, edited: "... Shipenko and actor ..." / "... Shipenko, actor ...")."""
    deck_words = re.findall(r"\w+", deck.casefold())
    words = re.findall(r"\w+", paragraph.casefold())
    if len(deck_words) < 8 or len(words) <= len(deck_words):  # the lede says more than its deck
        return False
    opening = words[: len(deck_words) + 3]
    return len(set(deck_words) & set(opening)) >= 0.8 * len(set(deck_words))


# "ANSA/EPA |": a picture desk's credit whose caption and picture the copy lost.
_LEADING_CREDIT_ALONE = re.compile(r"^[A-Z][\w.&-]*(?:\s*/\s*[A-Z][\w.&-]*)+\s*\|$")


def _with_short_lede(units: list[Unit], i: int, reading: _Reading) -> int:
    """Move the story's start back over a short first paragraph right before it: one
    sentence of eight words or more, after the headline, with no byline or date between
    ("Si sono concluse le riprese del primo film nello spazio." then the long paragraph)."""
    while i > 1 and split_dateline(units[i].text, reading.language) is None:
        text = units[i - 1].text
        words = len(text.split())
        if not (8 <= words < 20 and text[-1] in ".!?…" and len(sentences(text)) <= 2) or caption_of(text) \
                or _byline_date(text, reading.language) is not None or _BYLINE.match(text) \
                or parse_date_prefix(text, reading.language)[0] is not None:
            break
        above = units[i - 2].text
        pictured = bool(caption_of(above) or credit_alone(above) or _LEADING_CREDIT_ALONE.match(above)
                        or _IMAGE_MARKER.match(above))
        if not pictured and (_headline_score(above, False) < 3 or _is_deck(above)):
            break  # only a short paragraph right under the headline, or under its picture, is the lede
        i -= 1
    return i


def _is_lede(text: str, least: int = 20) -> bool:
    """A unit that reads as the story's first paragraph: a sentence of ``least`` words or
    more, or two sentences."""
    words = len(text.split())
    if text[-1] not in _TERMINAL:
        return False
    return words >= least or (words >= min(12, least) and len(sentences(text)) >= 2)


def _header_follows(units: list[Unit], i: int, residue: re.Pattern[str], reading: _Reading,
                    headline_seen: bool) -> bool:
    """Whether a byline or a date line (or, before any headline, a headline with its byline
    or date under it) comes after unit ``i`` before any other prose: then unit ``i`` is a
    deck (standfirst) or a teaser, not the lede. A headline-like line followed by prose is
    the story's first subheading."""
    for j in range(i + 1, min(i + 4, len(units))):
        text = units[j].text
        if _is_date_or_byline(text, reading):
            return True
        if _is_residue(text, residue) or caption_of(text) or _LABEL_LINE.match(text):
            continue
        if headline_seen or _headline_score(text, False) < 3:
            return False
        after = [u.text for u in units[j + 1:j + 4] if not _is_residue(u.text, residue)]
        return bool(after) and (_is_date_or_byline(after[0], reading) or bool(caption_of(after[0])))
    return False


def _is_date_or_byline(text: str, reading: _Reading) -> bool:
    return parse_date_prefix(text, reading.language)[0] is not None \
        or _byline_date(text, reading.language) is not None or bool(_BYLINE.match(text))


def _byline_date(line: str, language: str) -> dt.date | None:
    """The date of a byline or date line ("By Jane Doe | Updated 10:32 AM ET, Tue October 5,
    2021"): a short line with a date in it and few other words."""
    if len(line) > 160 or re.search(r"[\"“”«»„]|[.!?]\s+[A-ZА-Я]", line) or line.rstrip()[-1:] in "!?":
        return None  # a quotation or a sentence that mentions a date
    date, start, end = find_date(line, language)
    if date is None or _dated_credit(line)[1] is not None:  # a picture's date and credit
        return None
    others = re.findall(r"[^\W\d_]{2,}", line[:start] + " " + line[end:])
    if len(others) > 8 and not _BYLINE.match(line):
        return None
    return date


def _headline_score(line: str, after_date: bool) -> int:
    """How much a line looks like a headline: 0 means it is not one.

    A headline is one line of 3 to 25 words with no closing full stop; after a date
    header, one short sentence also counts (the header line of some sources holds it).
    """
    words = len(line.split())
    if words < 2 or words > 25 or len(line) > 180 or "\n" in line:
        return 0
    if _POST_BY.match(line) or _BULLET.match(line) or "@" in line or "http" in line:
        return 0
    if len(re.findall(r"[^\W\d_]{2,}", line)) < 2:
        return 0  # "2023 2021 2020 2019": a menu of years, no words
    if line[-1] in ".:;,…" and not line.endswith("..."):
        # A short sentence is a headline only where nothing better is: some sites end
        # their headlines with a full stop, and some sources put one on the date line.
        if line[-1] == "." and len(sentences(line)) == 1 and (words <= 12 or after_date and words <= 16):
            return 1
        return 0
    score = 3
    if line[:1].isupper() or line[:1].isdigit() or line[:1] in "\"“«'‘":
        score += 1
    if line.isupper():
        score -= 2
    if 5 <= words <= 16:
        score += 1
    if words == 2:
        score -= 3
    if line[:1].islower():  # "estación espacial internacional (eei)": a page's tag; headlines open with a capital
        score = min(score, 2)
    return max(score, 0)


def _is_deck(line: str) -> bool:
    """A standfirst: one or two sentences summarising the story, ending as sentences end."""
    return line[-1] in ".!?" and 5 <= len(line.split()) <= 60


def _named_elsewhere(tail: str, text: str) -> bool:
    """Whether the end of a headline is a name the page shows again ("Tecnoplaneta" in
    "Receba as notícias do Tecnoplaneta"): the site's own name."""
    return len(tail.split()) <= 4 and tail[:1].isupper() and text.count(tail) >= 2


def _clean_headline(line: str, text: str = "") -> str:
    """A headline without its section label ("Video. ", "LIVE: ") and the site's name
    after it (" - Science & Space", " | The Daily X")."""
    line = _LABEL_PREFIX.sub("", line).lstrip(":;,.–—- ")  # (": Primer tráiler de ...": a lost label's colon)
    line = re.sub(r"^[a-zà-ÿ]{2,8}\.\s+(?=[A-ZÀ-ÞА-ЯЁ])", "", line)  # "look. Russia releases ...": a kicker
    for separator in (" | ", " – ", " — ", " - ", " :: ", " · "):
        head, sep, tail = line.rpartition(separator)
        # "... an 'Experiment' – Director": one word the story writes in lower case says who
        # said it; it is no site's name.
        common_word = separator != " | " and len(tail.split()) == 1 and not _LABEL_LINE.match(tail) \
            and re.search(rf"\b{re.escape(tail.casefold())}\b", re.sub(r"\S*://\S*", "", text)) is not None
        if sep and len(head.split()) >= 3 and not common_word \
                and (_site_name(tail, separator == " | ") or _named_elsewhere(tail, text)):
            line = head
            break
    return _plain_title(line)


def _site_name(text: str, piped: bool) -> bool:
    """Whether the end of a headline names a site or section: a few capitalised words."""
    words = text.split()
    if not words or len(words) > (6 if piped else 4):
        return False
    if re.search(r"\.(com|org|net|ru|it|br|de|co\.uk)\b", text, re.IGNORECASE) or " & " in text:
        return True  # "The Daily Orbit.com", "science & space"
    return piped or all(w[:1].isupper() or w.casefold() in _NAME_JOINERS for w in words)


# Words that join the capitalised words of a name: "Gazzetta dello Spazio", "Diário do Cosmos".
_NAME_JOINERS = frozenset("& and of the e y et und и de del della dello dei degli di da do dos das der die des du "
                          "la le el o a".split())


_GERMAN_DATELINE = re.compile(r"([A-ZÄÖÜ][a-zäöüß]{3,}) (?=(?:Die|Der|Das|Ein|Eine)\s)")


def _strip_lede_prefix(unit: Unit, reading: _Reading, residue: re.Pattern[str]) -> Unit:
    """Take a date header ("date 2021-10-05 ...") or a dateline off the start of the lede."""
    text = re.sub(r"^[^/]{0,80}///\s*", "", unit.text)  # AFP's note on a new version: "Actualiza con ... ///"
    glued = re.match(r"([A-ZÀ-ÞА-ЯЁ][a-zß-ÿа-яё]{3,})([A-ZÀ-ÞА-ЯЁ][a-zß-ÿа-яё]{0,4})\s", text)
    if glued and glued.group(2).casefold() in _function_words(reading.language):
        text = f"{glued.group(1)}: {text[glued.end(1):]}"  # "BarcelonaLa actriz ...": a dateline lost its dash
    elif reading.language == "de" and (spaced := _GERMAN_DATELINE.match(text)):
        # "Moskau Die Sowjetunion hat ...": one noun, then an article, opens no German sentence
        text = f"{spaced.group(1)}: {text[spaced.end():]}"
    dateline = split_dateline(text, reading.language)  # "Kazakhstan:17/10/21: ..." is a place, then a date
    date, remainder = parse_date_prefix(text, reading.language) if dateline is None else (None, None)
    if remainder:
        _note_date(reading, date, unit)
        text = remainder
        dateline = split_dateline(text, reading.language)
    if dateline is not None:
        reading.dateline = dateline.place
        reading.agency = dateline.agency
        # A date in the header came first and stays; "KAZAKHSTAN:17/10/21:" gives a whole date,
        # "MOSCOW, October 17." only a day of a year the text does not say.
        if dateline.date is not None and reading.date is None and dateline.date.year != 1900:
            reading.date = dateline.date
        elif dateline.date is not None and isinstance(reading.date, Month) \
                and dateline.date.month == reading.date.month:
            # "date 2023-04" above "Moskva 20. apríla (TASR)": the day of that month
            reading.date = dt.date(reading.date.year, reading.date.month, dateline.date.day)
        elif dateline.date is not None and reading.date is None:
            reading.warnings.append(warning(
                reading.path, unit.line, f"the dateline gives {long_date(dateline.date).rsplit(' ', 1)[0]} but no "
                                         "year; the article is undated", "set date: in the new content file"))
        text = dateline.rest
    if text == unit.text or not text.strip():
        return unit
    return Unit(_capitalise(text), unit.line)  # "MOSCOW — the crew": "The crew"


def _note_date(reading: _Reading, date: dt.date | None, unit: Unit) -> None:
    """Keep the first date header's date; warn about one that is no real date."""
    if date is None:
        reading.warnings.append(warning(reading.path, unit.line,
                                        "the date in the header is not a valid date; the article is undated",
                                        "fix the date in the seed or set date: in the content file"))
    elif reading.date is None:
        reading.date = date


def _trailing_date(units: list[Unit], reading: _Reading) -> dt.date | None:
    """A date in a short line at the end ("Published on 17.10.2021"), when the header had none."""
    for unit in units[-3:]:
        # not a post's date, nor a picture's ("Oct. 5, 2021 (Video credit: NASA TV)")
        if len(unit.text) <= 100 and not _is_prose(unit.text) and "@" not in unit.text \
                and _dated_credit(unit.text)[1] is None:
            date, _, _ = find_date(unit.text, reading.language)
            if date is not None:
                return date
    return None


def _credit_line(line: str, reading: _Reading) -> bool:
    credit = _CREDIT_LINE.match(line)
    if credit:
        reading.credit = credit.group("credit").strip().rstrip(")").strip()
        # "with inputs from PTI", "Reporting by ... for Reuters": one news agency is the agency
        named = {m.group() for m in _WIRE.finditer(reading.credit)}
        if len(named) == 1 and not reading.agency:
            reading.agency = named.pop()
    return bool(credit)


# A byline printed among the paragraphs: only openings no subheading has ("De Baikonur a
# la estación" is a subheading, so "De", "Di", "Por" are not here).
_BODY_BYLINE = re.compile(r"^(?:By\s+[A-Z]|Avec notre (?:correspondante?|envoyée? spéciale?)\b|"
                          r"From our (?:correspondent|reporter)\b|Автор:|Текст:|Text:|Texto:|Autor:)")

_WIRE = re.compile(r"\b(?:" + _NEWS_AGENCIES + r")\b")


# --------------------------------------------------------------------------- the body


def _body_blocks(units: list[Unit], reading: _Reading, residue: re.Pattern[str]) -> list[str]:
    """Classify each unit (residue, caption, post, credit, list, subheading, paragraph) into Markdown."""
    out: list[str] = []
    # A page shows a caption or a description twice, or the whole story twice (a teaser,
    # then the story with its byline): the story has each once, and its headline on top.
    seen: set[str] = {_fold(t) for t in (reading.title, reading.lede_as_written) if t}
    in_list = False
    i = 0
    units = _trim_tail(units, residue, reading.language)
    # A few lower-case words with no stop, printed more than once ("the challenge"): a
    # picture's alt text, which the copy kept without the picture.
    counts = collections.Counter(line.strip() for line in reading.text.splitlines())
    alt = {t for t, n in counts.items() if n > 1 and t.islower() and len(t.split()) <= 4 and t[-1] not in _TERMINAL}
    while i < len(units):
        text = re.sub(r"\s+\|$", "", units[i].text)  # "... by professional actors. |": a link bar's separator
        i += 1
        key = _fold(text)
        if not text or key in seen or text in alt or _is_residue(text, residue) or _NAV_LINE.match(text) \
                or _labels_title(text, reading.title):
            continue
        following = units[i].text if i < len(units) else ""
        if _small_alt_text(text, reading.text) and len(text.split()) <= 8 and text[-1] not in ".!?…:":
            continue  # "russia filming movie outer space": a picture's alt text among the paragraphs
        if _tag_line(text) and (_tag_line(following) or i > 1 and _tag_line(units[i - 2].text)):
            continue  # "actrices" / "cine" / "espacio": the page's tags, one per line
        if len(following) > 20 and text != following and (text.startswith(following) or following.startswith(text)) \
                and abs(len(text) - len(following)) <= 10:
            continue  # a picture's alt text, then its caption
        seen.add(key)
        if len(text.split()) <= 7 and text[-1] not in ".!?" and "@" not in text and not _BULLET.match(text) \
                and (":" not in text.split()[0] or _ISO_TIMESTAMP.match(text)) \
                and (when := _byline_date(text, reading.language)) is not None:
            # a byline's date line inside the page: "22nd October 2021, 20:45 GMT+11"
            reading.date = reading.date or when
            if out and re.fullmatch(r"(?:## )?[^\W\d_][\w.'’-]*(?: [^\W\d_][\w.'’-]*){1,2}", out[-1]):
                out.pop()  # the author's name above it
            continue
        if "twitter.com/" in text or "t.co/" in text or _POST_TAIL.search(text) or _POST_BY.match(text):
            text, attribution = _split_post(text)
            if attribution is None and i < len(units) and _POST_BY.match(units[i].text):
                attribution, i = _POST_BY.match(units[i].text), i + 1  # the post, then who posted it
                out.append(_post_markdown(out, text, attribution, reading))
                in_list = False
                continue
            if attribution:
                out.append(_post_markdown(out, text, attribution, reading))
                in_list = False
                continue
            if text and len(text) <= 600:  # a post whose widget lost its attribution: quoted, unsigned
                out.append("\n".join(f"> {escape_markdown(line)}" for line in text.split("\n")))
                in_list = False
                continue
        if key in reading.captions and not caption_of(text):
            out.append(f"Caption: {escape_markdown(text)}")
            continue
        if (marker := _IMAGE_MARKER.match(text)) and not _LABELLED_LEAD.match(text):
            caption = marker.group("rest")
            if _only_credit(caption):
                continue  # "Фото: Рамиль Ситдиков / РИА Новости": the credit of a picture the text lost
            if not caption and i < len(units):
                caption, i = units[i].text, i + 1
            if caption:
                out.append(_caption_markdown(caption, reading.language))
                seen.update(_fold(part) for part in (caption, *(caption_of(caption) or ())))
            continue
        if len(text) <= 80 and (alone := split_dateline(text, reading.language)) is not None and not alone.rest \
                and alone.date is not None:
            # "Москва, 4 мая - DIXINEWS." on its own line under the lede's picture
            reading.dateline = reading.dateline or alone.place
            reading.agency = reading.agency or alone.agency
            continue
        if _BODY_BYLINE.match(text) and len(text.split()) <= 12 and text[-1] not in _TERMINAL:
            continue  # "Avec notre correspondante à Moscou, Anissa El Jabri" under the chapeau
        if _credit_line(text, reading):
            continue
        if i == len(units) and len(text.split()) >= 25:  # "... expedition. (Xinhua)": who filed the story
            text = _take_agency_tag(text, reading, last=True)
        if found := caption_of(text):
            if out and _is_paragraph(out[-1]) and _fold(_plain(out[-1])) == _fold(found[0]):
                out.pop()  # the picture's alt text, printed before its caption
            out.append(_caption_block(*found, reading.language))
            seen.add(_fold(found[0]))
            continue
        if _credit_follows(units, i - 1):  # "Caption text.\n(Andrey Shelepin/GCTC/Roscosmos via Reuters)"
            credit = credit_alone(units[i].text)
            caption = _BULLET.sub(r"\g<text>", text)
            if credit is None:  # "Oct. 5, 2021. (Image credit: NASA TV)": the picture's date joins its caption
                when, credit = _dated_credit(units[i].text)
                caption = f"{caption} {when.rstrip('.')}."
            out.append(_caption_block(caption, credit or "", reading.language))
            seen.add(_fold(text))
            i += 1
            continue
        if credit_alone(text) is not None:
            continue  # the credit of a picture the copy lost
        if bullet := _BULLET.match(text):
            item = "- " + escape_markdown(bullet.group("text"))
            if in_list:
                out[-1] += "\n" + item
            else:
                out.append(item)
            in_list = True
            continue
        in_list = False
        if reading.language == "en" and i < len(units) and _describes_picture(text):
            out.append(f"Caption: {escape_markdown(text)}")
            continue
        if _is_subheading(text, out, i < len(units)) or (i < len(units) and _BULLET.match(units[i].text)
                                                          and _is_subheading(text, ["start"], True)):
            out.append("## " + escape_markdown(text, heading=True))
            continue
        text = _take_agency_tag(text, reading, last=i == len(units))
        out.append(escape_markdown(text))
    return out


_FINITE = re.compile(r"\b(?:is|are|was|were|be|been|has|have|had|will|would|can|could|shall|should|may|might|must|"
                     r"do|does|did|says?|said|told)\b|\b\w{3,}ed\b(?! by\b)", re.IGNORECASE)


def _describes_picture(text: str) -> bool:
    """Whether a line among the paragraphs is a picture's description, its credit lost:
    a long phrase with no closing stop whose verb is a participle and never a finite
    verb ("A woman wearing a blue flight suit surrounded by screens"). English only: it
    needs to know the language's auxiliaries."""
    words = text.split()
    if not 8 <= len(words) <= 45 or text[-1] in _TERMINAL or ":" in text or _FINITE.search(text):
        return False
    return any(w.endswith("ing") and w[:1].islower() for w in words[1:6])


def _small_alt_text(line: str, text: str) -> bool:
    """Whether a line is a picture's alt text written all in lower case, names included: two
    or more of its words are capitalised elsewhere in the text ("yulia peresild tom cruise")."""
    return line == line.lower() and any(c.islower() for c in line) and not re.search(r"\d", line) \
        and sum(f" {w.capitalize()}" in text for w in set(line.split())) >= 2


def _tag_line(text: str) -> bool:
    """Whether a line reads as one of a page's tags: a few lower-case words, no stop."""
    return 0 < len(text.split()) <= 4 and text[:1].islower() and text[-1] not in ".!?…:;,\"”»"


def _labels_title(text: str, title: str) -> bool:
    """Whether a line is the headline with a few lower-case words around it ("image for
    <headline>"): the alt text of the headline's picture, not a paragraph."""
    if not title or len(title.split()) < 4:
        return False
    head, found, tail = _fold(text).partition(_fold(title))
    extra = (head + " " + tail.strip(" .")).split()
    return bool(found) and 0 < len(extra) <= 3 and all(w.islower() for w in extra)


_CREDIT_ALONE = re.compile(r"^[(\[](?P<credit>(?:[^()\[\]]|\([^()\[\]]*\)){2,80})[)\]]$")  # "(Bild: X (Screenshot))"


def _credit_follows(units: list[Unit], i: int) -> bool:
    """Whether unit ``i`` is a caption whose credit is the next line on its own:
    "(Andrey Shelepin/GCTC/Roscosmos via Reuters)", "EPA", "© vyzov.roscosmos.ru", "Фото: Роскосмос"."""
    text = units[i].text
    # A caption is a sentence or two; a paragraph of the story above a lone credit is not one.
    if i + 1 >= len(units) or not 3 <= len(text.split()) <= 40 or len(sentences(text)) > 2 or credit_alone(text):
        return False
    credit = units[i + 1].text
    if _BARE_CREDIT.fullmatch(credit):  # too weak a sign to make the paragraph above a caption
        return False
    if re.search(r"[“\"«„][^”\"»“]{15,}[”\"»“]", text):
        return False  # a quotation: someone speaks in the story; a caption says what a picture shows
    if re.fullmatch(r"[^()\[\]:©]*/[^()\[\]:©]*", credit) and len(sentences(text)) > 1:
        return False  # "Ekaterina Tchesnokova / Sputnik" under two sentences: a lost picture's credit
    words = text.split()
    if text[-1] not in _TERMINAL and sum(w[:1].isupper() for w in words) >= 0.6 * len(words):
        return False  # "Rules Published for Lead Role", then "Credit: Roscosmos": a headline in title case
    if i + 2 < len(units) and _CAPTION_OPENER.match(units[i + 2].text):
        return False  # "Photo: TASR / AP", then "Pictured from left are ...": the credit opens that caption
    return credit_alone(credit) is not None or _dated_credit(credit)[1] is not None


_BARE_CREDIT = re.compile(r"(?:Foto|Photo|Фото)\s+(?P<rest>[A-ZÀ-ÞА-ЯЁ][\w.’'-]*(?:\s+[\w.’'-]+)?)")


def _dated_credit(text: str) -> tuple[str, str | None]:
    """("Oct. 5, 2021", "NASA TV") for a line that dates a picture and credits it
    ("Oct. 5, 2021. (Image credit: NASA TV)"); ("", None) for any other line."""
    when, start, end = find_date(text[:40], "en", need_year=True)
    if when is None or start != 0:
        return "", None
    credit = credit_alone(text[end:].lstrip(" .,;:–—-"))
    return (text[:end].strip(), credit) if credit else ("", None)


_SOURCE_LABEL = re.compile(r"^(?:(?:Image|Photo|Picture|Video)\s+)?(?:Credits?|Fuente|Source|Quelle|Fonte|Источник)"
                           r"\s*:\s*(?:(?:Photo|Foto|Фото)\s*:\s*)?(?P<rest>.*)$", re.IGNORECASE)


def credit_alone(text: str) -> str | None:
    """The credit of a line that holds nothing but a picture's credit, else None."""
    text = _BULLET.sub(r"\g<text>", text).strip()
    if _CREDIT_LINE.match(text) or text[:1] == "*":
        return None
    if alone := _CREDIT_ALONE.match(text):  # "(Photo: rogozin_do / Telegram)"
        inner = re.sub(r"^(?:(?:Image|Photo|Video|Picture)\s+)?credits?\s*:\s*", "Photo: ",
                       alone.group("credit").strip(), flags=re.IGNORECASE)  # "(Image credit: NASA TV)"
        labelled = _IMAGE_MARKER.match(inner)
        credit = labelled.group("rest").strip() if labelled else inner
        if labelled or re.search(r"/|\b(via|by|Photo|Foto|Credit|courtesy)\b|" + _AGENCY, inner):
            return credit
        return None
    if text.startswith("©"):  # "© Roscosmos Press Office/TASS"
        return text[1:].strip() if 0 < len(text[1:].split()) <= 6 else None
    labelled = _IMAGE_MARKER.match(text) or _SOURCE_LABEL.match(text)
    if labelled and 0 < len(labelled.group("rest").split()) <= 6 and labelled.group("rest")[-1:] not in ".!?":
        return labelled.group("rest").strip()  # "Фото: Роскосмос", "Credit: GK Roskosmos"
    if desks := re.fullmatch(r"[^\W\d_]{3,15}:\s*(?P<rest>" + _CAP + r"[\w.&' -]{1,30}(?:\s*/\s*" + _CAP
                             + r"[\w.&' -]{1,30}){1,5})", text):
        return desks.group("rest").strip()  # "Nyitókép: MTI/AP/Roszkozmosz/Andrey Shelepin": any label, desks
    if re.fullmatch(_AGENCY + r"(?:\s*/\s*" + _AGENCY + r")*", text):  # "EPA", "Reuters/AP"
        return text
    if dashed := re.fullmatch(r"(?:[^\W\d_]+\s+)?(?:FOTO|Foto|Photo|PHOTO|Фото|ФОТО|Bild|Imagem|Immagine)\s*[-–—|]\s*"
                              r"(?P<rest>[^.!?]{2,60})", text):
        return dashed.group("rest").strip()  # "Ilustrační FOTO - Pixabay": a stock picture's credit
    if bare := _BARE_CREDIT.fullmatch(text):
        return bare.group("rest")  # "Foto Arhiva": a label and a name, no colon
    if re.fullmatch(r"(?:" + _CAP + r"[\w.'’-]+(?: " + _CAP + r"[\w.'’-]+){0,2}\s*)?/\s*" + _AGENCY, text):
        return text.lstrip("/ ")  # "Ramil Sitdikov / Sputnik", "/ TASS": a photographer and the desk
    found = _CAPTION_CREDIT.match(text)
    if found and re.fullmatch(_AGENCY + r"\s*[-–—|:]?", found.group("caption").strip()):
        return found.group("credit").strip()  # "TASS – Photo de couverture par X / Wikimedia Commons"
    return None


def _only_credit(text: str) -> bool:
    """Whether the words after "Photo:" are a credit alone: a few names, with a slash or an agency."""
    return 0 < len(text.split()) <= 8 and text[-1:] not in ".!?" and not re.search(r"[.!?:]\s", text) and \
        bool(re.search(r"/|\b(?:via|by)\b|" + _AGENCY + r"\s*$", text))


def _fold(text: str) -> str:
    return " ".join(text.casefold().split())


def _trim_tail(units: list[Unit], residue: re.Pattern[str], language: str) -> list[Unit]:
    """Drop the page's furniture after the story, from the end: residue, and short lines
    that are not sentences and hold no function word of the text's language ("Partilhar",
    "JMR // VM", "Mais lidas"). A story cut off mid-sentence ends in words such as "from
    the", so it stays, and stays marked as truncated."""
    common = _function_words(language)
    end = len(units)
    while end > 1:
        text = units[end - 1].text
        if not text:
            end -= 1
            continue
        if caption_of(text) or _POST_TAIL.search(text) or _POST_BY.match(text) or _IMAGE_MARKER.match(text) \
                or _CREDIT_LINE.match(text):
            break
        words = re.findall(r"[^\W\d_]+", text.casefold())
        bare = len(text.split()) < 8 and text[-1] not in _TERMINAL and not any(w in common for w in words)
        bare = bare or text.startswith("/") and len(text.split()) <= 4  # an aggregator's "/Media reports."
        bare = bare or text.endswith(":") and len(text.split()) <= 3  # "Mais informações:" with nothing after it
        # another story's headline cut to fit its link: "The prequel to the horror film "Orphan"..."
        bare = bare or len(text.split()) <= 12 and bool(re.search(r"[\w\"”»)] ?(?:\.\.\.|…)$", text)) \
            and _teaser_run(units, end - 1)
        if _is_residue(text, residue) or bare:
            end -= 1
            continue
        break
    return _drop_unrelated_teasers(units[:end], language)


def _teaser_run(units: list[Unit], i: int) -> bool:
    """Whether the unit at ``i`` stands among other short lines cut with an ellipsis: a
    block of links to other stories, not one sentence that trails off."""
    def cut(k: int) -> bool:
        return 0 <= k < len(units) and len(units[k].text.split()) <= 12 \
            and bool(re.search(r"(?:\.\.\.|…)$", units[k].text))
    return cut(i - 1) or cut(i + 1)


def _drop_unrelated_teasers(units: list[Unit], language: str) -> list[Unit]:
    """Drop other stories' teasers at the page's end: two or more headlines, each perhaps
    with a short summary, with no label above them and no words in common with the story
    ("Billy Idol habla sobre su documental" under a story about a film shot in orbit)."""
    starts: list[int] = []  # where each teaser begins, from the last one back
    end = len(units)
    while end > 2:
        if _teaser_headline(units[end - 1].text):
            end -= 1
        elif _teaser_headline(units[end - 2].text) and len(sentences(units[end - 1].text)) <= 3:
            end -= 2
        else:
            break
        starts.append(end)
    if len(starts) < 2:
        return units
    common = _function_words(language)
    story = _stems(" ".join(u.text for u in units[: starts[-1]]), common)
    unrelated = 0  # the teasers at the end that share nothing with the story
    for begin, stop in zip(starts, [len(units), *starts[:-1]], strict=True):
        words = _stems(" ".join(u.text for u in units[begin:stop]), common)
        if len(words & story) >= 2 or len(words & story) > len(words) // 5:
            break
        unrelated += 1
    return units[: starts[unrelated - 1]] if unrelated >= 2 else units


def _teaser_headline(text: str) -> bool:
    words = text.split()
    return 3 <= len(words) <= 18 and text[:1].isupper() and text.rstrip("\"”’»)")[-1:] not in _TERMINAL


def _stems(text: str, common: frozenset[str]) -> set[str]:
    """The content words of a text, cut to their first five letters: a crude stem that
    lets "película" meet "películas" in any language."""
    return {w[:5] for w in re.findall(r"[^\W\d_]{4,}", text.casefold()) if w not in common}


@functools.lru_cache(maxsize=16)
def _function_words(language: str) -> frozenset[str]:
    """The stop words of a language (the stop-words package), English's when it has none."""
    from stop_words import LANGUAGE_MAPPING, get_stop_words

    name = LANGUAGE_MAPPING.get(_library_code(language), language)
    try:
        return frozenset(get_stop_words(name))
    except Exception:  # noqa: BLE001 - the package raises its own error for unknown languages
        return frozenset(get_stop_words("en"))


# "(Xinhua)", "(ANSA)", "(dpa/jW)" at the end of the story's last paragraph: who filed it.
_AGENCY_TAG = re.compile(r"(?<=[.!?”\"»])\s*\((?P<agency>[A-Z][\w.-]{1,15}(?:/[\w.-]{1,10})?)\)\s*$")


def _take_agency_tag(text: str, reading: _Reading, last: bool) -> str:
    match = _AGENCY_TAG.search(text) if last else None
    if match is None:
        return text
    reading.agency = reading.agency or match.group("agency").split("/")[0]
    return text[:match.start()].rstrip()


# An embedded post's attribution at the end of its text: "... pic.twitter.com/x — ROSCOSMOS
# (@roscosmos) October 17, 2021".
_POST_TAIL = re.compile(r"(?:\s|(?<=pic\.twitter\.com/\w{10}))[—–]\s*(?P<author>[^()\n—–]{1,80}?)\s*"
                        r"\((?P<handle>@\w{1,30})\)\s*(?P<date>[^()@]{0,40})$")


def _split_post(text: str) -> tuple[str, re.Match[str] | None]:
    """(post text without its picture link, attribution) of a unit holding an embedded
    post; the text is "" when the unit is the attribution alone."""
    attribution = _POST_BY.match(text) or _POST_TAIL.search(text)
    body = text if attribution is None or attribution.re is _POST_BY else text[:attribution.start()]
    if attribution is not None and attribution.re is _POST_BY:
        body = ""
    return _POST_LINK.sub("", body).strip(), attribution


def _post_markdown(out: list[str], text: str, attribution: re.Match[str], reading: _Reading) -> str:
    """An embedded post as a quotation: the post's text (in the unit, or the paragraph
    before its attribution), then who posted it and when. Picture links are dropped."""
    if not text and out and _is_paragraph(out[-1]) and len(out[-1]) <= 600:
        text = _plain(out.pop())
    # A post of several paragraphs: the ones above its last that read as a post's (a hashtag,
    # a mention, an exclamation, another script than the story's) belong to it.
    parts = [text] if text else []
    while out and _is_paragraph(out[-1]) and len(out[-1].split()) <= 50 and _post_like(_plain(out[-1]), reading):
        parts.insert(0, _plain(out.pop()))
    text = "\n\n".join(parts)
    author = attribution.group("author").strip()
    date, _, _ = find_date(attribution.group("date"), reading.language)
    when = long_date(date) if date else attribution.group("date").strip()
    line = f"— {escape_markdown(author)} ({attribution.group('handle')})" + (f", {when}" if when else "")
    quoted = [f"> {escape_markdown(t)}" if t else ">" for t in text.split("\n")] + [">"] if text else []
    return "\n".join([*quoted, f"> {line}"])


def _post_like(text: str, reading: _Reading) -> bool:
    """Whether a short paragraph reads as part of a social media post rather than the story."""
    if re.search(r"(?:^|\s)[#@]\w|!\s*$", text):
        return True
    cyrillic = sum(1 for c in text if "\u0400" <= c <= "\u04ff")
    foreign = cyrillic > len(text) / 3 if reading.language != "ru" else cyrillic < len(text) / 10
    return foreign


def _is_subheading(block: str, previous: list[str], more_follow: bool) -> bool:
    """A short stand-alone line between paragraphs, without closing punctuation."""
    if "\n" in block or not previous or not more_follow:
        return False
    question = block.endswith("?") and len(block.split()) <= 12  # "Worum geht es in dem Film?"
    quoted = block[-1] in "\"”'’»)" and block[-2:-1] not in ".!?,"  # "De esto trata ‘El Desafío’"
    return (
        2 <= len(block.split()) <= 12
        and len(block) <= 90
        and (block[-1] not in ".!?:;,…\"”'’)»" or question or quoted)
        and (block[0].isupper() or block[0].isdigit() or block[0] in "\"“„«'‘")
    )


def _caption_markdown(caption: str, language: str = "en") -> str:
    """A caption after an ``Image:`` marker as the Markdown caption block."""
    caption = " ".join(caption.split("\n"))
    found = caption_of(caption)
    if found:
        return _caption_block(*found, language)
    return f"Caption: {escape_markdown(caption)}"


_PHOTO_LABEL = {"en": "Photo", "fr": "Photo", "ru": "Фото", "uk": "Фото", "bg": "Фото", "be": "Фото"}


def _caption_block(caption: str, credit: str, language: str = "en") -> str:
    """``Caption:`` text, then the credit line (labelled "Photo:" in the text's language when
    the text had no label)."""
    if not credit:
        return f"Caption: {escape_markdown(caption)}"
    if not re.match(r"^[^\W\d_]+\s*:", credit):
        credit = f"{_PHOTO_LABEL.get(language, 'Foto')}: {credit}"
    return f"Caption: {escape_markdown(caption)}\n{escape_markdown(credit)}"


# --------------------------------------------------------------------------- titles


def title_from_lede(lede: str, language: str = "en") -> str:
    """A headline-sized title from the first sentence of the lede.

    Asides go first (brackets, ", which ...,", an age or an apposition), and so does an
    opening phrase with no subject ("Taking ... to the next level, a crew returned ...").
    A sentence still too long is cut before a clause, a preposition or (in other
    languages) a function word, so the title stays a readable phrase that ends on a word
    of weight: never inside a list of names, nor on a verb that waits for its object.
    """
    sentence = _title_sentence(sentences(lede)[0] if lede else "", language)
    # A whole sentence says who did what; a cut one may not (least of all where the verb
    # comes last: "... hat eine Filmcrew am Dienstag die ISS erreicht").
    if len(sentence) <= (_LONG_TITLE_MAX if language in _VERB_LAST else _SENTENCE_TITLE_MAX):
        return _capitalise(sentence)
    if language in _VERB_FINAL and len(sentence) <= _VERB_FINAL_TITLE_MAX:
        return _capitalise(sentence)  # Turkish, Persian, Japanese...: every clause ends on its verb, so no cut reads
    common = _function_words(language) if language != "en" else frozenset()
    # "After twelve days in orbit, ...", "Il 5 ottobre 2021, ...": the phrase of time or place
    # before the subject is no title on its own; the title goes on past it.
    skip = _opening_phrase_end(sentence, language)
    clause = re.match(r"^(.+?)(?:[,;:،]\s|\s[–—]\s)", sentence[skip:])
    if clause and _clause_title(sentence[:skip] + clause.group(1), sentence[skip + clause.end():], language, common):
        return _capitalise(sentence[:skip] + clause.group(1))  # the first clause: its subject, verb and object
    cuts = [m.start() for m in re.finditer(r"\s(?:" + "|".join(_CUT_WORDS) + r")\s|[,;:،]\s|\s[–—-]\s", sentence)]
    before = _CUT_BEFORE.get(language, common)  # prepositions where known: a stop word may be a noun's own
    cuts += [m.start() for m in re.finditer(r"\s(\w+)(?=[\s,;:])", sentence) if m.group(1).casefold() in before]
    # Not before a relative clause with no comma ("the motion picture | which was filmed ... will
    # be shown"): it belongs to the subject, whose verb comes after it.
    cuts = sorted(c for c in cuts if c > skip and _cut_reads(sentence, c, common, language)
                  and not re.match(r"\s(?:which|who|whom|whose|that)\s", sentence[c:]))
    # (in other languages, where a cut is told by prepositions alone, the longer cut keeps the verb)
    cut = _longest_cut(sentence, [c for c in cuts if c <= (_CUT_MAX if language == "en" else _SENTENCE_TITLE_MAX)])
    if language == "en" and cut and not _FINITE.search(sentence[:cut]):
        # "The special screening of the film, the first shot in space" has no verb yet: a longer
        # cut that has one ("..., was held at a cinema") says what happened
        verbal = [c for c in cuts if c <= _LONG_TITLE_MAX and _FINITE.search(sentence[:c])]
        cut = _longest_cut(sentence, [c for c in verbal if c <= _SENTENCE_TITLE_MAX]) or min(verbal, default=0) or cut
    if cut and _waits_for_object(sentence[:cut], language):
        # "... Klim Shipenko returned", "... è stato lanciato": go on to the next place
        # where the phrase is complete ("... returned to Earth today").
        longer = next((c for c in cuts if cut < c <= _LONG_TITLE_MAX
                       and not _waits_for_object(sentence[:c], language)), 0)
        if not longer and len(sentence) <= _LONG_TITLE_MAX:
            return _capitalise(sentence)
        cut = longer or cut
    cut = cut or _longest_cut(sentence, [c for c in cuts if c <= _SENTENCE_TITLE_MAX])
    # Nothing that short: the first complete phrase, long as it is, beats a cut mid-phrase.
    cut = cut or min((c for c in cuts if c <= _LONG_TITLE_MAX), default=0)
    if cut:
        return _capitalise(sentence[:cut].rstrip(" ,;:،"))
    if len(sentence) <= _LONG_TITLE_MAX:  # no place to cut: a long title beats a broken one
        return _capitalise(sentence)
    return _capitalise(sentence[:_TITLE_MAX].rsplit(" ", 1)[0].rstrip(" ,;:،") + "…")


# Words before which a lede in another language can be cut: prepositions and conjunctions
# that open a phrase of its own (not "di", "de", "do": a genitive belongs to its noun).
_CUT_BEFORE = {language: frozenset(words.split()) for language, words in {
    "it": "a ad al alla allo ai agli alle da dal dalla dallo dai dagli dalle in nel nella nei negli nelle con su sul "
          "sulla per tra fra dopo durante verso presso senza mentre perché quando che",
    "es": "a al en con desde hasta durante tras para por sobre hacia entre según sin mientras porque cuando que",
    "pt": "a ao à em no na nos nas com desde até durante após para por pelo pela sobre entre segundo sem "
          "enquanto porque quando que",
    "fr": "à au aux en dans avec depuis pendant après pour par sur vers entre selon sans lors alors quand qui que",
    "ru": "в во на с со по к ко от до из за для при под над о об у через после перед около между чтобы когда",
}.items()}
# Auxiliaries that follow a subject's closing comma ("..., tous deux Russes, | ont reçu"):
# a cut there leaves the subject without its verb.
_AUXILIARY = {
    "en": "was|were|is|are|has|have|had|will|would|can|could",
    "fr": "ont|a|est|sont|avait|avaient|sera|seront|va|vont",
    "it": "ha|hanno|è|sono|era|erano|sarà|saranno|aveva|avevano",
    "es": "ha|han|es|son|fue|fueron|será|serán|está|están|había|habían",
    "pt": "foi|foram|é|são|tem|têm|será|serão|está|estão|havia",
}
# Words that open a phrase of time or place before a sentence's subject.
_OPENING_WORDS = frozenset(
    "after before during following on in at over since amid despite earlier later within "
    "dopo prima durante nel nella nei ieri oggi depois antes após em no na ontem hoje después tras en ayer hoy "
    "après avant pendant lors hier nach vor während am im seit gestern heute "
    "после перед во в на спустя вчера сегодня po w we przed v ve před "
    "beyond besides para além oltre más "
    # and subordinating conjunctions: "Although the Americans spoke first, | the Russians ..."
    # is no title without the clause it waits for
    "although though while whereas because when if as once bár amikor mivel miután хотя когда если пока "
    "obwohl nachdem weil wenn quand lorsque bien aunque cuando mientras embora quando enquanto sebbene benché "
    "mentre chociaż gdy kiedy ačkoli když zatímco hoewel terwijl toen".split()
)


def _opening_phrase_end(sentence: str, language: str) -> int:
    """Where a sentence's opening phrase of time or place ends ("After twelve days in orbit, "),
    or 0 when it opens with its subject."""
    match = re.match(r"^([^,;:]{3,80}),\s", sentence)
    if not match:
        return 0
    head = match.group(1)
    if head.split()[0].casefold() in _OPENING_WORDS \
            or len(head.split()) <= 6 and find_date(head, language, need_year=False)[0] is not None:
        return match.end()
    return 0


def _longest_cut(sentence: str, cuts: list[int]) -> int:
    """The last of ``cuts``, preferring a clause's end: it reads better than a phrase cut
    inside a list ("..., una sola cinepresa"). 0 when there is none."""
    clauses = [c for c in cuts if sentence[c] in ",;:،" and len(sentence[:c].split()) >= 5]
    return max(clauses or cuts, default=0)


# A verb form that asks for what follows: an English past form, a Romance participle.
_PARTICIPLE = {
    "en": re.compile(r"[a-z]{3,}ed$"),
    "it": re.compile(r"[a-z]{3,}(?:at|it|ut)[oaie]$"),
    "es": re.compile(r"[a-z]{3,}(?:ad|id)[oa]s?$"),
    "pt": re.compile(r"[a-z]{3,}(?:ad|id)[oa]s?$"),
    "fr": re.compile(r"[a-z]{3,}(?:é|ée|és|ées|i|is|u|us)$"),
}
# English nouns that ask for what follows them: "as part of an ambitious bid | to film ...".
_WAITING_NOUNS = frozenset("bid attempt effort plan plans trip journey quest race deal decision chance".split())
# German and Dutch put the participle or the verb last: a cut clause misses it.
_VERB_LAST = frozenset({"de", "nl", "tr", "az", "kk", "uz", "fa", "hi", "ja", "ko"})
# Languages whose sentences end on their verb: a long title is better than one without it.
_VERB_FINAL = _VERB_LAST - {"de", "nl"}
_VERB_FINAL_TITLE_MAX = 240


# The verbs that say who said it: "..., the press service told TASS".
_REPORTED = r"said|says|told|reported|reports|announced"


def _title_sentence(sentence: str, language: str) -> str:
    """The sentence without its asides and its subjectless opening, ready to be a title."""
    shorter = re.sub(r"\s\([^()]{1,40}\)(?=[\s,.;:])", "", sentence)  # "(ISS)", "(Oct. 5)", "(37)"
    # (the relative pronouns of the coverage's languages; German's are its articles, so not German)
    relative = r"which|who|whose|where|including|such as|qui|dont|où|che|cui|que|cuy[oa]|donde|cuj[oa]|onde|" \
               r"котор\w+|где"
    if language == "de":  # German relative clauses always stand between commas: ", die ... verbracht hatte,"
        relative += r"|die|der|das|dem|den|deren|dessen"
    aside = re.search(r",\s+(?:" + relative + r")\s[^,()]+,\s*+", shorter)
    if aside and re.match(r"(?:[^,]+\s)?(?:" + _REPORTED + r"|according)\b",
                          shorter[aside.end():]) and len(shorter[aside.end():].split()) <= 12:
        shorter = shorter[:aside.start()]  # "..., which ..., the press service told TASS": the claim alone
    elif aside and not re.match(r"(?:il|lo|la|l['’]|i|gli|le|un|una|uno|el|los|las|o|a|os|as|les|the|an?|der|die|"
                                r"das|ein|eine)\b", shorter[aside.end():]):
        # (not when a noun phrase follows: "..., che trasporta due passeggeri, l’attrice ..." lists who)
        shorter = shorter[:aside.start()] + " " + shorter[aside.end():]
    shorter = re.sub(r",\s+\d{2},\s+", " ", shorter)  # "Yulia Peresild, 37, and ..." (not "Tuesday, 5,")
    # "Rientra sulla Terra, atterrando in Kazakistan, la capsula ...": a gerund's clause is an aside
    if language in ("it", "es", "pt"):
        shorter = re.sub(r",\s+\w{3,}(?:ando|endo|indo)\s[^,()]{3,80},\s+", " ", shorter)
    # "Cruise, junto do diretor Doug Liman, revelou ...": who came along is an aside
    shorter = re.sub(r",\s+(?:junto (?:a|com|con|de|do|da)|insieme a|avec|together with|along with|alongside|"
                     r"accompanied by|acompañad[oa]s? (?:de|por)|acompanhad[oa]s? (?:de|por))\s[^,()]{3,80},\s+",
                     " ", shorter)
    if language == "en":  # "Komsomolskaya Pravda, a state-aligned outlet, gave ..."
        # (an apposition has no verb: ", the festival was held in Hurghada," is a clause)
        shorter = re.sub(r",\s+(?:a|an|the)\s[^,]{3,60},\s+(?=[a-z])",
                         lambda m: m.group() if _FINITE.search(m.group()) else " ", shorter)
        # "Putin on April 12, during a speech in the Kremlin, thanked ...": the subject meets its verb
        shorter = re.sub(r",\s+(?:during|after|before|while|despite|following|amid|at|in|on|with)\s[^,()]{3,80},\s+"
                         r"(?=(?!(?:and|but|or|which|who|where|when|the|a|an|as)\b)[a-z]+\s)", " ", shorter)
        # At most eight words: "Cheering crowds greeted the crew as ..." is a subject, not an opener.
        opener = re.match(r"^[A-Z][a-z]+ing(?:\s[^\s,]+){1,7},\s+(?=\S)", shorter)
        if opener and not re.match(r"^(?:During|According|Following|Including|Regarding)\b", shorter):
            shorter = shorter[opener.end():]
    if language == "en":  # "..., Russian Presidential Culture Aide Vladimir Tolstoy told TASS": who said it
        shorter = re.sub(r",\s+(?:[^,]{3,80}\s)?(?:" + _REPORTED + r")(?: \w+)?[.!]?$", "", shorter)
    if len(shorter.split()) < 4:
        shorter = sentence
    return shorter.rstrip(".!?… ").strip()


def _clause_title(clause: str, rest: str, language: str, common: frozenset[str]) -> bool:
    """Whether the sentence's first clause makes a title on its own."""
    words = clause.split()
    verb_last = language in _VERB_LAST  # a shorter clause is whole, a longer one cannot be cut
    limit = _LONG_TITLE_MAX if verb_last else _SENTENCE_TITLE_MAX
    return (len(clause) <= limit and len(words) >= (5 if verb_last else 8)
            and not (language == "en" and words[0].casefold().endswith("ing"))
            and not ((verb := _AUXILIARY.get(language)) and re.match(r"(?:" + verb + r")\s", rest))
            and words[-1].casefold() not in _NO_CUT_AFTER | common
            and clause.count("(") == clause.count(")")
            and not _in_list(rest, language))


def _cut_reads(sentence: str, cut: int, common: frozenset[str], language: str) -> bool:
    """Whether ``sentence[:cut]`` reads as a phrase: four words or more, not hanging on its
    verb ("... are set | to become"), no aside or bracket left open, not inside a list."""
    head = sentence[:cut]
    if (verb := _AUXILIARY.get(language)) and re.match(r"[,;]\s+(?:" + verb + r")\s", sentence[cut:]):
        return False  # "The screening of the film, Russia's first shot in space, | was held ...": the subject alone
    if re.search(r"\b(?:which|who|that|che|cui|que|qui|dont|который|которая|которые)(?:,\s[^,]*|\s+\S+)$", head):
        return False  # "la capsula che, con a bordo il cosmonauta ...": an aside left open
    if language == "en" and re.search(r"\s(?:who|which|that)\s", head) \
            and re.search(r"\b(?:will|would|is|are|was|were|has|have|had|can|could)\b", sentence[cut:].split(",")[0]):
        return False  # "The actress who will be sent to the station | ... will be announced": the verb is to come
    return (len(head.split()) >= 4
            and head.split()[-1].casefold().strip(",;:،") not in _NO_CUT_AFTER | common
            and head.count("(") == head.count(")")
            and len(re.findall(r"\s[–—](?:\s|$)", head.rstrip())) % 2 == 0
            and not (sentence[cut] == "," and _in_list(sentence[cut + 1:], language))
            # "l’attrice Yulia Peresild | e il regista Klim Shipenko": the list of names goes on
            and not (language not in _VERB_LAST and re.match(
                r"\s(?:and|or|e|y|et|и|i|o|ou)\s(?:\S+\s+){0,3}[A-ZА-ЯЁ]", sentence[cut:])))


def _in_list(rest: str, language: str) -> bool:
    """Whether text after a comma goes on with a list of names ("..., actress Yulia Peresild
    and ..."). German capitalises every noun, so there a capital says nothing."""
    item = re.match(r"^\s*((?:[^\s,]+\s+){1,4})(?:and|or|e|y|et|и|i|o|ou)\s", rest)
    # or a role and a name and another comma: "..., director Klim Shipenko, ..."
    named = re.match(r"^\s*(?:[a-zа-яё][\w-]*\s+){1,3}[A-ZА-ЯЁ][\w-]+(?:\s+[A-ZА-ЯЁ][\w-]+){0,2},", rest)
    return language not in _VERB_LAST and bool(
        named or item and re.search(r"(?:^|\s)[A-ZА-ЯЁ]", item.group(1)))


def _waits_for_object(title: str, language: str) -> bool:
    """Whether a cut title ends on a verb form that waits for what follows it."""
    pattern = _PARTICIPLE.get(language)
    last = title.split()[-1] if title.split() else ""
    if language == "en" and re.search(r"\bto \w+$", title):  # "... who has to operate"
        return True
    if language == "en" and last.casefold() in _WAITING_NOUNS:  # "an ambitious bid", "a trip": to do what, where?
        return True
    return bool(pattern and pattern.fullmatch(last))


def summary_from_lede(lede: str) -> str:
    """The first sentences of the lede, up to about 300 characters."""
    summary = ""
    for sentence in sentences(lede):
        if summary and len(summary) + 1 + len(sentence) > _SUMMARY_MAX:
            break
        summary = f"{summary} {sentence}".strip()
    return _plain_summary(summary)


def _plain_summary(text: str) -> str:
    if len(text) > _SUMMARY_MAX:
        text = text[:_SUMMARY_MAX].rsplit(" ", 1)[0].rstrip(" ,;:") + "…"
    return text


def is_truncated(last_paragraph: str) -> bool:
    """Whether the text stops mid-sentence: no closing punctuation at its very end, or an
    ellipsis where the page cut it ("…", "[...]")."""
    text = last_paragraph.rstrip()
    if not text:
        return False
    return text[-1] not in _TERMINAL or text.endswith(("...", "…", "[…]", "[...]"))


def _plain_title(line: str) -> str:
    """A headline line as a title: no closing full stop, first letter capitalised."""
    return _capitalise(line.rstrip(". ").strip())


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def _plain(markdown: str) -> str:
    """Undo ``escape_markdown`` (titles and summaries are plain text in front matter)."""
    return re.sub(r"\\([\\`*_{}\[\]()#+\-.!<>|])", r"\1", markdown.replace("\n", " "))


# --------------------------------------------------------------------------- escaping

_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]])")
_LINE_START = re.compile(r"^(#|>|[-+*](?=\s)|=+$|-+$|(\d+)(?=[.)]\s))")


def escape_markdown(text: str, heading: bool = False) -> str:
    """Escape what Markdown would read as syntax, so a seed's text shows as written.

    Raw HTML is also text here: the renderer shows ``<script>`` as characters, never
    as markup, and the escaping keeps that true if the file is rendered elsewhere.
    """
    text = _INLINE_SPECIAL.sub(r"\\\1", text)
    if heading:
        return text.rstrip("#").rstrip() or text
    match = _LINE_START.match(text)
    if match and match.group(2):  # "1969. The year ..." is not an ordered list
        return f"{match.group(2)}\\{text[len(match.group(2)):]}"
    if match:
        return "\\" + text
    if text.startswith("Caption:"):  # a prose line must not become a caption block
        return "Caption&#58;" + text[len("Caption:"):]
    return text
