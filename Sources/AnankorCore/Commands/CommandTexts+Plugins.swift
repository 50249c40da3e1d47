/// Names and descriptions of what the Lavalink plugins add: `/search type` and `/lyrics`.
extension CommandTexts {
    static let pluginsEnglishUS: [(String, String, String)] = [
        ("search.type", "type", "What to look for (albums, artists and playlists queue all their tracks)"),
        ("search.type.track", "Track", ""),
        ("search.type.album", "Album", ""),
        ("search.type.artist", "Artist", ""),
        ("search.type.playlist", "Playlist", ""),
        ("lyrics", "lyrics", "Show the lyrics of the track playing in your voice channel"),
        ("autoplay.mode", "mode", "How the next songs are picked when the queue runs out"),
        ("autoplay.mode.off", "Off", ""),
        ("autoplay.mode.similar", "Similar songs", ""),
        ("autoplay.mode.artist", "Same artist", ""),
        ("autoplay.mode.mixed", "Mixed", ""),
        ("settings.sponsorblock", "sponsorblock", "Choose which parts of videos SponsorBlock skips"),
        ("settings.sponsorblock.categories", "categories", "e.g. sponsor, selfpromo, intro; none skips nothing; leave out for the defaults"),
    ]

    static let pluginsGerman: [(String, String, String)] = [
        ("search.type", "art", "Wonach gesucht wird (Alben, Künstler und Playlists reihen alle ihre Titel ein)"),
        ("search.type.track", "Titel", ""),
        ("search.type.album", "Album", ""),
        ("search.type.artist", "Künstler", ""),
        ("search.type.playlist", "Playlist", ""),
        ("lyrics", "songtext", "Den Songtext des Titels in deinem Sprachkanal zeigen"),
        ("autoplay.mode", "modus", "Wie die nächsten Songs gewählt werden, wenn die Warteschlange leer ist"),
        ("autoplay.mode.off", "Aus", ""),
        ("autoplay.mode.similar", "Ähnliche Songs", ""),
        ("autoplay.mode.artist", "Gleicher Künstler", ""),
        ("autoplay.mode.mixed", "Gemischt", ""),
        ("settings.sponsorblock", "sponsorblock", "Wählen, welche Teile von Videos SponsorBlock überspringt"),
        ("settings.sponsorblock.categories", "kategorien", "z. B. sponsor, selfpromo, intro; none überspringt nichts; leer für die Vorgabe"),
    ]

    static let pluginsFrench: [(String, String, String)] = [
        ("search.type", "type", "Ce que tu cherches (albums, artistes et playlists ajoutent tous leurs titres)"),
        ("search.type.track", "Titre", ""),
        ("search.type.album", "Album", ""),
        ("search.type.artist", "Artiste", ""),
        ("search.type.playlist", "Playlist", ""),
        ("lyrics", "paroles", "Afficher les paroles du titre joué dans ton salon vocal"),
        ("autoplay.mode", "mode", "Comment choisir les titres suivants quand la file est vide"),
        ("autoplay.mode.off", "Désactivée", ""),
        ("autoplay.mode.similar", "Titres similaires", ""),
        ("autoplay.mode.artist", "Même artiste", ""),
        ("autoplay.mode.mixed", "Mélangé", ""),
        ("settings.sponsorblock", "sponsorblock", "Choisir les parties des vidéos que SponsorBlock passe"),
        ("settings.sponsorblock.categories", "categories", "ex. sponsor, selfpromo, intro ; none ne passe rien ; vide pour les valeurs par défaut"),
    ]

    static let pluginsSpanish: [(String, String, String)] = [
        ("search.type", "tipo", "Qué buscar (álbumes, artistas y listas añaden todas sus canciones)"),
        ("search.type.track", "Canción", ""),
        ("search.type.album", "Álbum", ""),
        ("search.type.artist", "Artista", ""),
        ("search.type.playlist", "Lista", ""),
        ("lyrics", "letra", "Muestra la letra de la canción que suena en tu canal de voz"),
        ("autoplay.mode", "modo", "Cómo se eligen las siguientes canciones cuando se acaba la cola"),
        ("autoplay.mode.off", "Desactivada", ""),
        ("autoplay.mode.similar", "Canciones similares", ""),
        ("autoplay.mode.artist", "Mismo artista", ""),
        ("autoplay.mode.mixed", "Mezcla", ""),
        ("settings.sponsorblock", "sponsorblock", "Elige qué partes de los vídeos salta SponsorBlock"),
        ("settings.sponsorblock.categories", "categorias", "p. ej. sponsor, selfpromo, intro; none no salta nada; vacío para los valores por defecto"),
    ]

    static let pluginsPortugueseBrazil: [(String, String, String)] = [
        ("search.type", "tipo", "O que buscar (álbuns, artistas e playlists adicionam todas as faixas)"),
        ("search.type.track", "Faixa", ""),
        ("search.type.album", "Álbum", ""),
        ("search.type.artist", "Artista", ""),
        ("search.type.playlist", "Playlist", ""),
        ("lyrics", "letra", "Mostra a letra da faixa tocando no seu canal de voz"),
        ("autoplay.mode", "modo", "Como as próximas músicas são escolhidas quando a fila acaba"),
        ("autoplay.mode.off", "Desligada", ""),
        ("autoplay.mode.similar", "Músicas parecidas", ""),
        ("autoplay.mode.artist", "Mesmo artista", ""),
        ("autoplay.mode.mixed", "Misturado", ""),
        ("settings.sponsorblock", "sponsorblock", "Escolha quais partes dos vídeos o SponsorBlock pula"),
        ("settings.sponsorblock.categories", "categorias", "ex. sponsor, selfpromo, intro; none não pula nada; vazio para o padrão"),
    ]

    static let pluginsJapanese: [(String, String, String)] = [
        ("search.type", "種類", "探すもの（アルバム・アーティスト・プレイリストは全曲を追加）"),
        ("search.type.track", "曲", ""),
        ("search.type.album", "アルバム", ""),
        ("search.type.artist", "アーティスト", ""),
        ("search.type.playlist", "プレイリスト", ""),
        ("lyrics", "歌詞", "ボイスチャンネルで再生中の曲の歌詞を表示します"),
        ("autoplay.mode", "モード", "キューが終わったとき次の曲を選ぶ方法"),
        ("autoplay.mode.off", "オフ", ""),
        ("autoplay.mode.similar", "似た曲", ""),
        ("autoplay.mode.artist", "同じアーティスト", ""),
        ("autoplay.mode.mixed", "ミックス", ""),
        ("settings.sponsorblock", "sponsorblock", "SponsorBlock が動画のどの部分をスキップするか選びます"),
        ("settings.sponsorblock.categories", "カテゴリ", "例: sponsor, selfpromo, intro。none は何もスキップしない。空欄で既定値"),
    ]
}
