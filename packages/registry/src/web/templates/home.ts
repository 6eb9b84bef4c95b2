/** The home page: search, counts, trending, recent, most downloaded. */
export const home = `<section class="hero" aria-labelledby="home-h">
<h1 id="home-h">Find Synapse packages</h1>
<form role="search" aria-label="Packages, main" action="/search" method="get">
<label class="sr" for="home-q">Search packages</label>
<input id="home-q" name="q" type="search" placeholder="http client, name:json, author:jane" maxlength="256">
<button type="submit">Search</button>
</form>
<ul class="counts">
<li><b><%= it.fmt.number(it.stats.packages) %></b> packages</li>
<li><b><%= it.fmt.number(it.stats.versions) %></b> versions</li>
<li><b><%= it.fmt.number(it.stats.users) %></b> users</li>
<li><b><%= it.fmt.number(it.stats.downloads.last_week) %></b> downloads this week</li>
</ul>
</section>
<div class="cols">
<section aria-labelledby="trending-h"><h2 id="trending-h">Trending</h2>
<%~ include('@package-list', { fmt: it.fmt, items: it.trending, empty: 'Nothing is trending this week.' }) %></section>
<section aria-labelledby="recent-h"><h2 id="recent-h">Recently published</h2>
<%~ include('@package-list', { fmt: it.fmt, items: it.recent, empty: 'Nothing published yet.' }) %></section>
<section aria-labelledby="popular-h"><h2 id="popular-h">Most downloaded</h2>
<%~ include('@package-list', { fmt: it.fmt, items: it.popular, empty: 'No downloads yet.' }) %></section>
</div>
`;
