/** An error page: what happened, and a way on. */
export const errorPage = `<h1><%= it.heading %></h1>
<p><%= it.message %></p>
<p><a href="/">Home</a> · or search:</p>
<form class="inline" role="search" aria-label="Packages, from the error page" action="/search" method="get">
<label class="sr" for="err-q">Search packages</label>
<input id="err-q" name="q" type="search" maxlength="256"> <button type="submit">Search</button>
</form>
`;
