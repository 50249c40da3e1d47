/// The playground page: plain HTML, its script and style sheet served beside it (no build step).
enum PlaygroundPage {
    static let html = #"""
<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Anankor playground</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/playground/style.css">
</head>
<body>
<a class="skip-link" href="#composer-input">Skip to the message box</a>
<div id="app" class="app" data-view="chat">
  <nav class="tabs" aria-label="Parts of the page">
    <button type="button" data-show="channels">Channels</button>
    <button type="button" data-show="chat" aria-current="true">Chat</button>
    <button type="button" data-show="side">Members &amp; tools</button>
  </nav>

  <aside id="channels" class="sidebar" aria-label="Server and channels">
    <header class="guild-header"><h1 id="guild-name">Connecting…</h1></header>
    <div class="channel-scroll">
      <h2 class="category">Text channels</h2>
      <ul id="text-channels" class="channel-list"></ul>
      <h2 class="category">Voice channels</h2>
      <ul id="voice-channels" class="channel-list"></ul>
    </div>
    <section class="user-panel" aria-label="Who you are">
      <div id="voice-status" class="voice-status" hidden>
        <div><strong class="voice-connected">Voice Connected</strong><span id="voice-channel-name"></span></div>
        <button type="button" id="voice-leave" class="icon-button" aria-label="Disconnect from voice">✕ Leave</button>
      </div>
      <div class="field-row">
        <label for="act-as">Act as</label>
        <select id="act-as"></select>
      </div>
      <div class="field-row">
        <label for="locale">Language</label>
        <select id="locale">
          <option value="en-US">English (US)</option>
          <option value="en-GB">English (UK)</option>
          <option value="de">Deutsch</option>
          <option value="fr">Français</option>
          <option value="es-ES">Español</option>
          <option value="pt-BR">Português do Brasil</option>
          <option value="ja">日本語</option>
          <option value="it">Italiano</option>
          <option value="nl">Nederlands</option>
          <option value="pl">Polski</option>
          <option value="ko">한국어</option>
        </select>
      </div>
    </section>
  </aside>

  <main id="chat" class="chat">
    <header class="chat-header">
      <h2 id="channel-title"><span aria-hidden="true">#</span> <span id="channel-name"></span></h2>
      <span id="live-status" class="live-status" role="status">connecting…</span>
    </header>
    <ol id="messages" class="messages" role="log" aria-live="polite" aria-label="Messages"></ol>
    <form id="composer" class="composer" autocomplete="off">
      <div id="command-popup" class="popup" role="listbox" aria-label="Slash commands" hidden></div>
      <fieldset id="command-form" class="command-form" hidden>
        <legend id="command-legend"></legend>
        <div id="command-options" class="command-options"></div>
      </fieldset>
      <div class="composer-row">
        <label for="composer-input" class="visually-hidden">Message, or / for commands</label>
        <input id="composer-input" type="text" role="combobox" aria-autocomplete="list" aria-expanded="false"
               aria-controls="command-popup" placeholder="Message #general — type / for commands">
        <button type="submit" id="send-button">Send</button>
      </div>
      <p id="composer-error" class="composer-error" role="alert"></p>
    </form>
  </main>

  <div id="side" class="side">
    <section class="members" aria-labelledby="members-title">
      <h2 id="members-title" class="panel-title">Members</h2>
      <div id="member-list"></div>
    </section>
    <section id="players-panel" class="panel" aria-labelledby="players-title" hidden>
      <h2 id="players-title" class="panel-title">Lavalink players</h2>
      <div id="players"></div>
    </section>
    <section id="clock-panel" class="panel" aria-labelledby="clock-title" hidden>
      <h2 id="clock-title" class="panel-title">Playback clock</h2>
      <p id="clock-status"></p>
      <form id="clock-form" class="inline-form">
        <label for="clock-speed">Speed</label>
        <input id="clock-speed" type="number" min="0" max="1000" step="0.5" value="1">
        <button type="submit">Set speed</button>
      </form>
      <div class="button-row" role="group" aria-label="Skip ahead">
        <button type="button" data-advance="10000">+10 s</button>
        <button type="button" data-advance="60000">+1 min</button>
        <button type="button" data-advance="300000">+5 min</button>
      </div>
    </section>
    <section id="faults-panel" class="panel" aria-labelledby="faults-title">
      <h2 id="faults-title" class="panel-title">Faults</h2>
      <div id="faults"></div>
    </section>
    <section id="scenario-panel" class="panel" aria-labelledby="scenario-title" hidden>
      <h2 id="scenario-title" class="panel-title">Scenario</h2>
      <form id="scenario-form">
        <div class="field-row">
          <label for="scenario-select">Script</label>
          <select id="scenario-select"><option value="">(the text below)</option></select>
        </div>
        <label for="scenario-text">Or write one (one step per line, as in docs/sandbox.md)</label>
        <textarea id="scenario-text" rows="4" placeholder="alice joins Lounge&#10;alice: /play query:&quot;lofi beats&quot;"></textarea>
        <button type="submit" id="scenario-run">Run scenario</button>
      </form>
      <p id="scenario-status" role="status"></p>
      <pre id="scenario-transcript" class="transcript" tabindex="0" aria-label="Scenario transcript"></pre>
    </section>
    <p id="toast" class="toast" role="status"></p>
  </div>
</div>
<script src="/playground/app.js"></script>
</body>
</html>
"""#
}
