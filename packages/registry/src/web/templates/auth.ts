/** Log in and register forms (each with its CSRF field). */
export const loginPage = `<h1>Log in</h1>
<% if (it.error) { %><p class="error" role="alert"><%= it.error %></p><% } %>
<form class="form" method="post" action="/login">
<input type="hidden" name="_csrf" value="<%= it.csrf %>">
<input type="hidden" name="next" value="<%= it.next %>">
<label for="login-user">Username</label>
<input id="login-user" name="username" type="text" autocomplete="username" required maxlength="64" value="<%= it.username || '' %>">
<label for="login-pass">Password</label>
<input id="login-pass" name="password" type="password" autocomplete="current-password" required maxlength="1024">
<button type="submit">Log in</button>
</form>
<p>No account? <a href="/register">Register</a>.</p>
`;

export const registerPage = `<h1>Create an account</h1>
<% if (it.error) { %><div class="error" role="alert"><p><%= it.error %></p><% if (it.errors && it.errors.length) { %><ul><% for (const e of it.errors) { %><li><%= e %></li><% } %></ul><% } %></div><% } %>
<form class="form" method="post" action="/register">
<input type="hidden" name="_csrf" value="<%= it.csrf %>">
<label for="reg-user">Username</label>
<input id="reg-user" name="username" type="text" autocomplete="username" required maxlength="39" value="<%= it.username || '' %>" aria-describedby="reg-user-hint">
<p id="reg-user-hint" class="meta">2–39 lowercase letters, digits or single hyphens.</p>
<label for="reg-email">Email</label>
<input id="reg-email" name="email" type="email" autocomplete="email" required maxlength="254" value="<%= it.email || '' %>">
<label for="reg-pass">Password</label>
<input id="reg-pass" name="password" type="password" autocomplete="new-password" required minlength="10" maxlength="1024" aria-describedby="reg-pass-hint">
<p id="reg-pass-hint" class="meta">At least 10 characters, not a common password.</p>
<button type="submit">Create account</button>
</form>
<p>Have an account? <a href="/login">Log in</a>.</p>
`;
