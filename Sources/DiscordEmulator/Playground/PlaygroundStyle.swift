/// The playground's style sheet: Discord's dark theme, one column on phones.
enum PlaygroundStyle {
    static let source = #"""
:root {
  --bg-chat: #313338; --bg-side: #2b2d31; --bg-dark: #1e1f22; --bg-hover: #35373c; --bg-active: #404249;
  --text: #dbdee1; --text-strong: #f2f3f5; --muted: #b5bac1; --faint: #949ba4;
  --blurple: #5865f2; --green: #248046; --red: #da373c; --grey: #4e5058; --link: #00a8fc;
  --focus: #00a8fc;
  color-scheme: dark;
}
* { box-sizing: border-box; }
[hidden] { display: none !important; }
html, body { height: 100%; margin: 0; }
body { background: var(--bg-chat); color: var(--text); font: 16px/1.375 "gg sans", "Noto Sans", "Helvetica Neue", Helvetica, Arial, sans-serif; }
button, input, select, textarea { font: inherit; color: inherit; }
:focus-visible { outline: 2px solid var(--focus); outline-offset: 2px; }
.visually-hidden { position: absolute !important; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.skip-link { position: absolute; left: -999px; top: 0; background: var(--blurple); color: #fff; padding: 8px; z-index: 10; }
.skip-link:focus { left: 8px; }
.app { display: grid; grid-template-columns: 240px minmax(0, 1fr) 340px; height: 100vh; }
.tabs { display: none; }

/* Channels */
.sidebar { background: var(--bg-side); display: flex; flex-direction: column; min-height: 0; }
.guild-header { padding: 12px 16px; border-bottom: 1px solid var(--bg-dark); box-shadow: 0 1px 0 rgba(0,0,0,.2); }
.guild-header h1 { font-size: 16px; margin: 0; color: var(--text-strong); }
.channel-scroll { flex: 1; overflow-y: auto; padding: 8px; }
.category { font-size: 12px; text-transform: uppercase; letter-spacing: .02em; color: var(--faint); margin: 16px 8px 4px; }
.channel-list { list-style: none; margin: 0; padding: 0; }
.channel { display: flex; width: 100%; align-items: center; gap: 6px; padding: 6px 8px; border: 0; border-radius: 4px;
  background: none; color: var(--faint); text-align: left; cursor: pointer; }
.channel:hover { background: var(--bg-hover); color: var(--text); }
.channel[aria-current="true"], .channel[aria-pressed="true"] { background: var(--bg-active); color: var(--text-strong); }
.channel .glyph { width: 20px; text-align: center; }
.voice-members { list-style: none; margin: 0 0 4px 30px; padding: 0; }
.voice-member { display: flex; align-items: center; gap: 8px; padding: 3px 6px; color: var(--muted); font-size: 14px; }
.user-panel { background: #232428; padding: 8px; display: grid; gap: 6px; }
.field-row { display: grid; grid-template-columns: 80px 1fr; align-items: center; gap: 6px; font-size: 14px; }
.field-row label { color: var(--muted); }
select, input, textarea { background: var(--bg-dark); border: 1px solid #111214; border-radius: 4px; padding: 6px 8px; min-width: 0; }
.voice-status { display: flex; justify-content: space-between; align-items: center; gap: 8px; padding: 6px; border-bottom: 1px solid #3f4147; font-size: 14px; }
.voice-status > div { display: grid; }
.voice-connected { color: #23a55a; }
.icon-button { background: none; border: 1px solid var(--grey); border-radius: 4px; padding: 4px 8px; cursor: pointer; color: var(--muted); }
.icon-button:hover { background: var(--bg-hover); color: var(--text-strong); }

/* Chat */
.chat { display: flex; flex-direction: column; min-width: 0; min-height: 0; }
.chat-header { display: flex; align-items: center; justify-content: space-between; padding: 10px 16px; border-bottom: 1px solid var(--bg-dark); box-shadow: 0 1px 0 rgba(0,0,0,.2); }
.chat-header h2 { margin: 0; font-size: 16px; color: var(--text-strong); }
.live-status { font-size: 12px; color: var(--faint); }
.live-status.live::before { content: "● "; color: #23a55a; }
.messages { flex: 1; overflow-y: auto; list-style: none; margin: 0; padding: 16px 0; }
.message { display: grid; grid-template-columns: 40px minmax(0, 1fr); column-gap: 16px; padding: 4px 16px 4px 16px; margin-top: 12px; }
.message:hover { background: #2e3035; }
.message.ephemeral { background: rgba(88,101,242,.08); }
.message > .avatar { grid-column: 1; }
.message-body { grid-column: 2; min-width: 0; }
.reply-context { grid-column: 2; font-size: 14px; color: var(--muted); margin-bottom: 2px; }
.reply-context::before { content: "╭ "; color: var(--grey); }
.avatar { width: 40px; height: 40px; border-radius: 50%; display: grid; place-items: center; color: #fff; font-weight: 600; flex: none; }
.avatar.small { width: 24px; height: 24px; font-size: 12px; }
.message-header { display: flex; flex-wrap: wrap; align-items: baseline; gap: 6px; }
.author { font-weight: 600; color: var(--text-strong); }
.app-tag { background: var(--blurple); color: #fff; font-size: 10px; font-weight: 600; border-radius: 3px; padding: 1px 4px; vertical-align: 1px; }
.time { font-size: 12px; color: var(--faint); }
.content { white-space: pre-wrap; overflow-wrap: anywhere; }
.edited { font-size: 10px; color: var(--faint); }
.content code, .embed code { background: var(--bg-dark); border-radius: 3px; padding: 0 3px; font-size: 85%; }
.content pre { background: var(--bg-side); border: 1px solid var(--bg-dark); padding: 8px; border-radius: 4px; }
.mention { background: rgba(88,101,242,.3); color: #c9cdfb; border-radius: 3px; padding: 0 2px; }
a { color: var(--link); }
.thinking { color: var(--muted); font-style: italic; }
.embed { margin-top: 4px; max-width: 520px; background: var(--bg-side); border-left: 4px solid #1e1f22; border-radius: 4px; padding: 8px 16px 12px 12px; display: grid; gap: 6px; }
.embed-author { font-size: 14px; font-weight: 600; }
.embed-title { font-weight: 600; color: var(--text-strong); }
.embed-description { white-space: pre-wrap; font-size: 14px; }
.embed-fields { display: grid; grid-template-columns: repeat(auto-fill, minmax(150px, 1fr)); gap: 8px; }
.embed-field { font-size: 14px; }
.embed-field.wide { grid-column: 1 / -1; }
.embed-field-name { font-weight: 600; }
.embed-footer { font-size: 12px; color: var(--muted); }
.components { display: grid; gap: 6px; margin-top: 6px; }
.action-row { display: flex; flex-wrap: wrap; gap: 8px; }
.btn { border: 0; border-radius: 4px; padding: 4px 14px; min-height: 32px; cursor: pointer; color: #fff; font-size: 14px; font-weight: 500; text-decoration: none; display: inline-flex; align-items: center; gap: 4px; }
.btn:disabled { opacity: .5; cursor: not-allowed; }
.btn-1 { background: var(--blurple); } .btn-1:hover:not(:disabled) { background: #4752c4; }
.btn-2 { background: var(--grey); } .btn-2:hover:not(:disabled) { background: #6d6f78; }
.btn-3 { background: var(--green); } .btn-3:hover:not(:disabled) { background: #1a6334; }
.btn-4 { background: var(--red); } .btn-4:hover:not(:disabled) { background: #a12829; }
.btn-5 { background: var(--grey); }
.btn.pending { opacity: .6; }
.select-menu { min-width: 240px; max-width: 100%; background: var(--bg-dark); padding: 8px; }
.ephemeral-note { font-size: 12px; color: var(--muted); margin-top: 4px; }
.ephemeral-note button { background: none; border: 0; color: var(--link); cursor: pointer; padding: 0; font-size: 12px; }
.system .content { color: var(--red); }

/* Composer */
.composer { position: relative; padding: 0 16px 16px; }
.composer-row { display: flex; gap: 8px; background: #383a40; border-radius: 8px; padding: 6px; }
.composer-row input { flex: 1; background: none; border: 0; padding: 8px; }
.composer-row button, .command-options button, .panel button, .inline-form button, #scenario-form button {
  background: var(--blurple); color: #fff; border: 0; border-radius: 4px; padding: 6px 14px; cursor: pointer; }
.composer-error { color: #fa777c; font-size: 14px; min-height: 1.2em; margin: 4px 0 0; }
.popup { position: absolute; left: 16px; right: 16px; bottom: 100%; max-height: 320px; overflow-y: auto; background: var(--bg-side); border-radius: 8px; box-shadow: 0 8px 16px rgba(0,0,0,.24); padding: 8px 0; }
.popup-heading { font-size: 12px; text-transform: uppercase; color: var(--faint); padding: 4px 12px; }
.popup-item { padding: 8px 12px; cursor: pointer; display: flex; gap: 8px; align-items: baseline; }
.popup-item[aria-selected="true"], .popup-item:hover { background: var(--bg-active); }
.popup-item .command-name { font-weight: 600; color: var(--text-strong); }
.popup-item .command-description { color: var(--muted); font-size: 14px; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.command-form { border: 1px solid var(--grey); border-radius: 8px; margin: 0 0 8px; padding: 8px 12px; }
.command-form legend { padding: 0 4px; font-weight: 600; color: var(--text-strong); }
.command-options { display: flex; flex-wrap: wrap; gap: 10px; align-items: flex-end; }
.option-field { display: grid; gap: 2px; min-width: 160px; flex: 1; position: relative; }
.option-field label { font-size: 13px; color: var(--muted); }
.option-field .required { color: #fa777c; }
.option-field .hint { font-size: 12px; color: var(--faint); }
.suggestions { position: absolute; left: 0; right: 0; bottom: 100%; background: var(--bg-side); border-radius: 6px; list-style: none; margin: 0; padding: 4px 0; box-shadow: 0 8px 16px rgba(0,0,0,.3); max-height: 200px; overflow-y: auto; z-index: 2; }
.suggestions li { padding: 6px 10px; cursor: pointer; }
.suggestions li[aria-selected="true"], .suggestions li:hover { background: var(--bg-active); }

/* Members and controls */
.side { background: var(--bg-side); overflow-y: auto; padding: 8px 8px 24px; min-height: 0; }
.panel-title { font-size: 12px; text-transform: uppercase; letter-spacing: .02em; color: var(--faint); margin: 16px 8px 6px; }
.member-group { margin: 10px 8px 4px; font-size: 12px; text-transform: uppercase; color: var(--faint); }
.member { display: flex; align-items: center; gap: 10px; padding: 4px 8px; border-radius: 4px; }
.member:hover { background: var(--bg-hover); }
.member .avatar { width: 32px; height: 32px; position: relative; }
.status-dot { position: absolute; right: -2px; bottom: -2px; width: 12px; height: 12px; border-radius: 50%; border: 3px solid var(--bg-side); background: #80848e; }
.status-dot.online { background: #23a55a; }
.member-name { color: var(--text); }
.member-detail { font-size: 12px; color: var(--faint); }
.panel { margin: 0 4px; }
.card { background: var(--bg-dark); border-radius: 6px; padding: 8px 10px; margin: 6px 0; font-size: 14px; display: grid; gap: 4px; }
.card-title { font-weight: 600; color: var(--text-strong); }
.card progress { width: 100%; height: 6px; accent-color: var(--blurple); }
.muted { color: var(--faint); }
.button-row { display: flex; flex-wrap: wrap; gap: 6px; margin: 6px 0; }
.panel .danger, .button-row .danger { background: var(--red); }
.panel .secondary, .command-options .secondary { background: var(--grey); }
.inline-form { display: flex; gap: 6px; align-items: center; flex-wrap: wrap; }
.inline-form input { width: 90px; }
#scenario-form { display: grid; gap: 6px; font-size: 14px; }
.transcript { background: var(--bg-dark); border-radius: 6px; padding: 8px; max-height: 320px; overflow: auto; font-size: 12px; white-space: pre-wrap; }
.transcript:empty { display: none; }
.toast { font-size: 14px; color: var(--text-strong); min-height: 1.2em; margin: 8px; }
.toast.error { color: #fa777c; }

/* Phones: one part at a time, chosen with the tabs. */
@media (max-width: 900px) {
  .app { grid-template-columns: 1fr; grid-template-rows: auto minmax(0, 1fr); }
  .tabs { display: flex; background: var(--bg-dark); }
  .tabs button { flex: 1; background: none; border: 0; padding: 10px 4px; color: var(--muted); cursor: pointer; white-space: nowrap; font-size: 15px; }
  .tabs button[aria-current="true"] { color: var(--text-strong); box-shadow: inset 0 -2px 0 var(--blurple); }
  .app > .sidebar, .app > .chat, .app > .side { display: none; }
  .app[data-view="channels"] > .sidebar, .app[data-view="side"] > .side { display: flex; flex-direction: column; }
  .app[data-view="side"] > .side { display: block; }
  .app[data-view="chat"] > .chat { display: flex; }
  .message { grid-template-columns: 32px minmax(0, 1fr); column-gap: 10px; padding: 4px 10px; }
  .avatar { width: 32px; height: 32px; }
  .composer { padding: 0 8px 8px; }
}
"""#
}
