/// The texts of vote skip and of the music bots' voice permissions, merged into each locale's
/// table by `LocalizationCatalog.standard`. Permission names (`permission.*`) are Discord's own
/// names in its server settings in that language, where an admin fixes them.
extension LocalizationCatalog {
    static let membersEnglishUS: Table = [
        .musicSkipVoted: "🗳️ Vote counted: {votes, plural, one {#} other {#}}/{needed, plural, one {# vote} other {# votes}} to skip **{title}**.",
        .musicSkipVoteRepeated: "You have already voted: {votes, plural, one {#} other {#}}/{needed, plural, one {# vote} other {# votes}} to skip **{title}**.",
        .musicSkippedByVote: "Skipped **{title}**: {votes, plural, one {#} other {#}}/{needed, plural, one {# vote} other {# votes}} to skip.",
        .musicSkipAheadNeedsDJ: "With more than two listeners only a DJ can skip ahead. {/skip} without a position votes to skip the current track.",
        .musicBoardSkipVotes: "⏭️ {votes, plural, one {#} other {#}}/{needed, plural, one {# vote} other {# votes}} to skip",
        .musicNoWorkerPermitted: "No music bot may play in {channel}: missing {permissions}. A server manager can allow it in the channel's permissions.",
        .settingsVoteSkipSet: "With more than two listeners, a track is now skipped once {share}% of them vote with {/skip}. DJs and whoever queued the track skip at once.",
        .settingsShowVoteSkip: "Vote skip: {share}% of the listeners",
        .settingsPartVoteSkip: "vote skip {share}%",
        .permissionViewChannel: "View Channel",
        .permissionConnect: "Connect",
        .permissionSpeak: "Speak",
        .musicNothingToQueue: "There is nothing to add to the queue.",
        .musicNoWorkerFree: "No music bot is free to join {channel} right now.",
        .gameStatsNoFavourite: "none yet",
    ]

    static let membersGerman: Table = [
        .musicSkipVoted: "🗳️ Stimme gezählt: {votes, plural, one {#} other {#}}/{needed, plural, one {# Stimme} other {# Stimmen}}, um **{title}** zu überspringen.",
        .musicSkipVoteRepeated: "Du hast schon abgestimmt: {votes, plural, one {#} other {#}}/{needed, plural, one {# Stimme} other {# Stimmen}}, um **{title}** zu überspringen.",
        .musicSkippedByVote: "**{title}** übersprungen: {votes, plural, one {#} other {#}}/{needed, plural, one {# Stimme} other {# Stimmen}} dafür.",
        .musicSkipAheadNeedsDJ: "Bei mehr als zwei Zuhörern kann nur ein DJ vorspringen. {/skip} ohne Position stimmt dafür, den aktuellen Titel zu überspringen.",
        .musicBoardSkipVotes: "⏭️ {votes, plural, one {#} other {#}}/{needed, plural, one {# Stimme} other {# Stimmen}} zum Überspringen",
        .musicNoWorkerPermitted: "Kein Musik-Bot darf in {channel} spielen: es fehlt {permissions}. Eine Serververwaltung kann es in den Berechtigungen des Kanals erlauben.",
        .settingsVoteSkipSet: "Bei mehr als zwei Zuhörern wird ein Titel jetzt übersprungen, sobald {share}% von ihnen mit {/skip} dafür stimmen. DJs und wer den Titel eingereiht hat, überspringen sofort.",
        .settingsShowVoteSkip: "Überspringen per Abstimmung: {share}% der Zuhörer",
        .settingsPartVoteSkip: "Abstimmung {share}%",
        .permissionViewChannel: "Kanal ansehen",
        .permissionConnect: "Verbinden",
        .permissionSpeak: "Sprechen",
        .musicNothingToQueue: "Es gibt nichts, was in die Warteschlange kommen könnte.",
        .musicNoWorkerFree: "Gerade ist kein Musik-Bot frei für {channel}.",
        .gameStatsNoFavourite: "noch keins",
    ]

    static let membersFrench: Table = [
        .musicSkipVoted: "🗳️ Vote compté : {votes, plural, one {#} other {#}}/{needed, plural, one {# vote} many {# de votes} other {# votes}} pour passer **{title}**.",
        .musicSkipVoteRepeated: "Tu as déjà voté : {votes, plural, one {#} other {#}}/{needed, plural, one {# vote} many {# de votes} other {# votes}} pour passer **{title}**.",
        .musicSkippedByVote: "**{title}** passé : {votes, plural, one {#} other {#}}/{needed, plural, one {# vote} many {# de votes} other {# votes}} pour.",
        .musicSkipAheadNeedsDJ: "Avec plus de deux auditeurs, seul un DJ peut sauter plus loin. {/skip} sans position vote pour passer le titre en cours.",
        .musicBoardSkipVotes: "⏭️ {votes, plural, one {#} other {#}}/{needed, plural, one {# vote} many {# de votes} other {# votes}} pour passer",
        .musicNoWorkerPermitted: "Aucun bot musical ne peut jouer dans {channel} : il manque {permissions}. Un gestionnaire du serveur peut l’autoriser dans les permissions du salon.",
        .settingsVoteSkipSet: "Avec plus de deux auditeurs, un titre est désormais passé dès que {share} % d’entre eux votent avec {/skip}. Les DJ et la personne qui a ajouté le titre le passent tout de suite.",
        .settingsShowVoteSkip: "Passer par vote : {share} % des auditeurs",
        .settingsPartVoteSkip: "vote {share} %",
        .permissionViewChannel: "Voir le salon",
        .permissionConnect: "Se connecter",
        .permissionSpeak: "Parler",
        .musicNothingToQueue: "Il n’y a rien à ajouter à la file d’attente.",
        .musicNoWorkerFree: "Aucun bot musical n’est libre pour rejoindre {channel} pour l’instant.",
        .gameStatsNoFavourite: "aucun pour l’instant",
    ]

    static let membersSpanish: Table = [
        .musicSkipVoted: "🗳️ Voto contado: {votes, plural, one {#} other {#}}/{needed, plural, one {# voto} many {# de votos} other {# votos}} para saltar **{title}**.",
        .musicSkipVoteRepeated: "Ya has votado: {votes, plural, one {#} other {#}}/{needed, plural, one {# voto} many {# de votos} other {# votos}} para saltar **{title}**.",
        .musicSkippedByVote: "Se saltó **{title}**: {votes, plural, one {#} other {#}}/{needed, plural, one {# voto} many {# de votos} other {# votos}} a favor.",
        .musicSkipAheadNeedsDJ: "Con más de dos oyentes solo un DJ puede saltar hacia delante. {/skip} sin posición vota para saltar la canción actual.",
        .musicBoardSkipVotes: "⏭️ {votes, plural, one {#} other {#}}/{needed, plural, one {# voto} many {# de votos} other {# votos}} para saltar",
        .musicNoWorkerPermitted: "Ningún bot de música puede sonar en {channel}: falta {permissions}. Un administrador del servidor puede permitirlo en los permisos del canal.",
        .settingsVoteSkipSet: "Con más de dos oyentes, una canción se salta ahora en cuanto el {share}% de ellos vota con {/skip}. Los DJ y quien añadió la canción la saltan al momento.",
        .settingsShowVoteSkip: "Saltar por votación: {share}% de los oyentes",
        .settingsPartVoteSkip: "votación {share}%",
        .permissionViewChannel: "Ver canal",
        .permissionConnect: "Conectar",
        .permissionSpeak: "Hablar",
        .musicNothingToQueue: "No hay nada que añadir a la cola.",
        .musicNoWorkerFree: "Ahora mismo ningún bot de música está libre para unirse a {channel}.",
        .gameStatsNoFavourite: "ninguno todavía",
    ]

    static let membersPortugueseBrazil: Table = [
        .musicSkipVoted: "🗳️ Voto contado: {votes, plural, one {#} other {#}}/{needed, plural, one {# voto} many {# de votos} other {# votos}} para pular **{title}**.",
        .musicSkipVoteRepeated: "Você já votou: {votes, plural, one {#} other {#}}/{needed, plural, one {# voto} many {# de votos} other {# votos}} para pular **{title}**.",
        .musicSkippedByVote: "**{title}** pulada: {votes, plural, one {#} other {#}}/{needed, plural, one {# voto} many {# de votos} other {# votos}} a favor.",
        .musicSkipAheadNeedsDJ: "Com mais de dois ouvintes, só um DJ pode pular adiante. {/skip} sem posição vota para pular a música atual.",
        .musicBoardSkipVotes: "⏭️ {votes, plural, one {#} other {#}}/{needed, plural, one {# voto} many {# de votos} other {# votos}} para pular",
        .musicNoWorkerPermitted: "Nenhum bot de música pode tocar em {channel}: falta {permissions}. Um gerente do servidor pode permitir isso nas permissões do canal.",
        .settingsVoteSkipSet: "Com mais de dois ouvintes, uma música agora é pulada assim que {share}% deles votam com {/skip}. DJs e quem adicionou a música pulam na hora.",
        .settingsShowVoteSkip: "Pular por votação: {share}% dos ouvintes",
        .settingsPartVoteSkip: "votação {share}%",
        .permissionViewChannel: "Ver canal",
        .permissionConnect: "Conectar",
        .permissionSpeak: "Falar",
        .musicNothingToQueue: "Não há nada para adicionar à fila.",
        .musicNoWorkerFree: "Nenhum bot de música está livre para entrar em {channel} agora.",
        .gameStatsNoFavourite: "nenhum ainda",
    ]

    static let membersJapanese: Table = [
        .musicSkipVoted: "🗳️ 投票しました: **{title}** のスキップに {votes}/{needed, plural, other {# 票}}。",
        .musicSkipVoteRepeated: "すでに投票済みです: **{title}** のスキップに {votes}/{needed, plural, other {# 票}}。",
        .musicSkippedByVote: "**{title}** をスキップしました: {votes}/{needed, plural, other {# 票}}。",
        .musicSkipAheadNeedsDJ: "リスナーが 3 人以上いるときは、先へのスキップは DJ だけができます。位置を指定しない {/skip} で再生中の曲のスキップに投票できます。",
        .musicBoardSkipVotes: "⏭️ スキップ投票 {votes}/{needed, plural, other {# 票}}",
        .musicNoWorkerPermitted: "{channel} で再生できる音楽ボットがありません: {permissions} の権限が不足しています。サーバー管理者がチャンネルの権限で許可できます。",
        .settingsVoteSkipSet: "リスナーが 3 人以上のとき、{/skip} で {share}% が投票すると曲がスキップされるようになりました。DJ と曲を追加した人はすぐにスキップできます。",
        .settingsShowVoteSkip: "投票スキップ: リスナーの {share}%",
        .settingsPartVoteSkip: "投票スキップ {share}%",
        .permissionViewChannel: "チャンネルを見る",
        .permissionConnect: "接続",
        .permissionSpeak: "発言",
        .musicNothingToQueue: "キューに追加するものがありません。",
        .musicNoWorkerFree: "現在 {channel} に参加できる音楽ボットがいません。",
        .gameStatsNoFavourite: "まだなし",
    ]
}
