/// Names and descriptions of what the Lavalink plugins add: `/search type` and `/lyrics`.
extension CommandTexts {
    static let pluginsEnglishUS: [(String, String, String)] = [
        ("search.type", "type", "What to look for (albums, artists and playlists queue all their tracks)"),
        ("search.type.track", "Track", ""),
        ("search.type.album", "Album", ""),
        ("search.type.artist", "Artist", ""),
        ("search.type.playlist", "Playlist", ""),
        ("lyrics", "lyrics", "Show the lyrics of the track playing in your voice channel"),
    ]

    static let pluginsGerman: [(String, String, String)] = [
        ("search.type", "art", "Wonach gesucht wird (Alben, Künstler und Playlists reihen alle ihre Titel ein)"),
        ("search.type.track", "Titel", ""),
        ("search.type.album", "Album", ""),
        ("search.type.artist", "Künstler", ""),
        ("search.type.playlist", "Playlist", ""),
        ("lyrics", "songtext", "Den Songtext des Titels in deinem Sprachkanal zeigen"),
    ]

    static let pluginsFrench: [(String, String, String)] = [
        ("search.type", "type", "Ce que tu cherches (albums, artistes et playlists ajoutent tous leurs titres)"),
        ("search.type.track", "Titre", ""),
        ("search.type.album", "Album", ""),
        ("search.type.artist", "Artiste", ""),
        ("search.type.playlist", "Playlist", ""),
        ("lyrics", "paroles", "Afficher les paroles du titre joué dans ton salon vocal"),
    ]

    static let pluginsSpanish: [(String, String, String)] = [
        ("search.type", "tipo", "Qué buscar (álbumes, artistas y listas añaden todas sus canciones)"),
        ("search.type.track", "Canción", ""),
        ("search.type.album", "Álbum", ""),
        ("search.type.artist", "Artista", ""),
        ("search.type.playlist", "Lista", ""),
        ("lyrics", "letra", "Muestra la letra de la canción que suena en tu canal de voz"),
    ]

    static let pluginsPortugueseBrazil: [(String, String, String)] = [
        ("search.type", "tipo", "O que buscar (álbuns, artistas e playlists adicionam todas as faixas)"),
        ("search.type.track", "Faixa", ""),
        ("search.type.album", "Álbum", ""),
        ("search.type.artist", "Artista", ""),
        ("search.type.playlist", "Playlist", ""),
        ("lyrics", "letra", "Mostra a letra da faixa tocando no seu canal de voz"),
    ]

    static let pluginsJapanese: [(String, String, String)] = [
        ("search.type", "種類", "探すもの（アルバム・アーティスト・プレイリストは全曲を追加）"),
        ("search.type.track", "曲", ""),
        ("search.type.album", "アルバム", ""),
        ("search.type.artist", "アーティスト", ""),
        ("search.type.playlist", "プレイリスト", ""),
        ("lyrics", "歌詞", "ボイスチャンネルで再生中の曲の歌詞を表示します"),
    ]
}
