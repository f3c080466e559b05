-- Curated content every Quire database starts with: the project templates and the beat templates.
-- Loaded after the migrations on every run, so each statement converges on the same rows (upsert by slug).

insert into public.document_templates (slug, name, kind, description, documents) values
(
  'novel', 'Novel', 'novel',
  'A manuscript in parts, chapters and scenes, with a notes page for the story bible.',
  $json$[
    {
      "title": "Part One",
      "kind": "folder",
      "children": [
        {
          "title": "Chapter 1",
          "kind": "chapter",
          "children": [
            {
              "title": "Scene 1",
              "kind": "scene",
              "children": [],
              "content": {
                "type": "doc",
                "content": [
                  { "type": "paragraph", "content": [{ "type": "text", "text": "Start where something changes." }] }
                ]
              }
            }
          ]
        }
      ]
    },
    {
      "title": "Notes",
      "kind": "notes",
      "children": [],
      "content": {
        "type": "doc",
        "content": [
          { "type": "heading", "attrs": { "level": 2 }, "content": [{ "type": "text", "text": "Premise" }] },
          { "type": "paragraph" },
          { "type": "heading", "attrs": { "level": 2 }, "content": [{ "type": "text", "text": "Themes" }] },
          { "type": "paragraph" }
        ]
      }
    }
  ]$json$::jsonb
),
(
  'screenplay', 'Screenplay', 'screenplay',
  'One screenplay document in standard format: scene headings, action, character cues and dialogue.',
  $json$[
    {
      "title": "Screenplay",
      "kind": "screenplay",
      "children": [],
      "content": {
        "type": "doc",
        "content": [
          { "type": "sceneHeading", "content": [{ "type": "text", "text": "INT. APARTMENT - NIGHT" }] },
          { "type": "action", "content": [{ "type": "text", "text": "Rain against the window. A phone buzzes on the table, face down." }] },
          { "type": "character", "content": [{ "type": "text", "text": "ALEX" }] },
          { "type": "parenthetical", "content": [{ "type": "text", "text": "(not picking up)" }] },
          { "type": "dialogue", "content": [{ "type": "text", "text": "Not tonight." }] },
          { "type": "shot", "content": [{ "type": "text", "text": "CLOSE ON the phone screen." }] },
          { "type": "transition", "content": [{ "type": "text", "text": "CUT TO:" }] }
        ]
      }
    },
    { "title": "Notes", "kind": "notes", "children": [] }
  ]$json$::jsonb
),
(
  'blog-post', 'Blog post', 'blog_post',
  'A single post with a headline, an introduction and room for sections.',
  $json$[
    {
      "title": "Untitled post",
      "kind": "post",
      "children": [],
      "content": {
        "type": "doc",
        "content": [
          { "type": "heading", "attrs": { "level": 1 }, "content": [{ "type": "text", "text": "Headline" }] },
          { "type": "paragraph", "content": [{ "type": "text", "text": "Open with the one thing the reader should take away." }] },
          { "type": "heading", "attrs": { "level": 2 }, "content": [{ "type": "text", "text": "First section" }] },
          { "type": "paragraph" }
        ]
      }
    }
  ]$json$::jsonb
)
on conflict (slug) do update
  set name = excluded.name, kind = excluded.kind, description = excluded.description,
      documents = excluded.documents, is_public = true;

insert into public.beat_templates (slug, name, description, beats) values
(
  'save-the-cat', 'Save the Cat', 'Fifteen beats placed by percentage of the finished story.',
  $json$[
    { "position": 1, "percent": 0, "act": 1, "name": "Opening Image", "description": "A snapshot of the hero and their world before anything changes." },
    { "position": 2, "percent": 5, "act": 1, "name": "Theme Stated", "description": "Someone voices the lesson the hero has yet to learn, usually without the hero noticing." },
    { "position": 3, "percent": 1, "act": 1, "name": "Set-Up", "description": "The hero's everyday life, flaws and the things that will need fixing." },
    { "position": 4, "percent": 10, "act": 1, "name": "Catalyst", "description": "The event that knocks the old life off its course." },
    { "position": 5, "percent": 10, "act": 1, "name": "Debate", "description": "The hero hesitates and weighs whether to go." },
    { "position": 6, "percent": 20, "act": 2, "name": "Break into Two", "description": "The hero chooses to act and steps into a new situation." },
    { "position": 7, "percent": 22, "act": 2, "name": "B Story", "description": "A new relationship that will carry the theme." },
    { "position": 8, "percent": 20, "act": 2, "name": "Fun and Games", "description": "The promise of the premise: the hero explores the new world." },
    { "position": 9, "percent": 50, "act": 2, "name": "Midpoint", "description": "A false victory or false defeat raises the stakes." },
    { "position": 10, "percent": 50, "act": 2, "name": "Bad Guys Close In", "description": "Pressure mounts from outside and doubt grows from within." },
    { "position": 11, "percent": 75, "act": 2, "name": "All Is Lost", "description": "The lowest point; something or someone is lost." },
    { "position": 12, "percent": 75, "act": 2, "name": "Dark Night of the Soul", "description": "The hero takes in the loss and faces the truth." },
    { "position": 13, "percent": 80, "act": 3, "name": "Break into Three", "description": "The answer arrives, often joining the A and B stories." },
    { "position": 14, "percent": 80, "act": 3, "name": "Finale", "description": "The hero applies the lesson and confronts the problem." },
    { "position": 15, "percent": 99, "act": 3, "name": "Final Image", "description": "A mirror of the opening image showing how far the hero has come." }
  ]$json$::jsonb
),
(
  'heros-journey', 'Hero''s Journey', 'Twelve stages of departure, initiation and return.',
  $json$[
    { "position": 1, "percent": 0, "act": 1, "name": "Ordinary World", "description": "The hero at home, before the adventure, with what they lack." },
    { "position": 2, "percent": 10, "act": 1, "name": "Call to Adventure", "description": "A challenge or invitation disturbs the ordinary world." },
    { "position": 3, "percent": 15, "act": 1, "name": "Refusal of the Call", "description": "Fear or duty holds the hero back." },
    { "position": 4, "percent": 20, "act": 1, "name": "Meeting the Mentor", "description": "Someone gives advice, training or a gift for the road." },
    { "position": 5, "percent": 25, "act": 2, "name": "Crossing the First Threshold", "description": "The hero commits and leaves the known world." },
    { "position": 6, "percent": 35, "act": 2, "name": "Tests, Allies, Enemies", "description": "The hero learns the rules of the new world and who stands where." },
    { "position": 7, "percent": 45, "act": 2, "name": "Approach to the Inmost Cave", "description": "Preparations for the central ordeal." },
    { "position": 8, "percent": 50, "act": 2, "name": "The Ordeal", "description": "The hero faces the greatest fear and seems to die or fail." },
    { "position": 9, "percent": 60, "act": 2, "name": "Reward", "description": "Having survived, the hero takes the prize." },
    { "position": 10, "percent": 75, "act": 3, "name": "The Road Back", "description": "Consequences follow; the hero turns for home." },
    { "position": 11, "percent": 90, "act": 3, "name": "Resurrection", "description": "A final test where everything learned is put to use." },
    { "position": 12, "percent": 100, "act": 3, "name": "Return with the Elixir", "description": "The hero comes home changed, bringing something that helps others." }
  ]$json$::jsonb
),
(
  'three-act', 'Three-Act Structure', 'Setup, confrontation and resolution, with the turning points between them.',
  $json$[
    { "position": 1, "percent": 0, "act": 1, "name": "Setup", "description": "Who the protagonist is, what they want and what stands in the way." },
    { "position": 2, "percent": 12, "act": 1, "name": "Inciting Incident", "description": "The event that sets the story in motion." },
    { "position": 3, "percent": 25, "act": 1, "name": "Plot Point One", "description": "The protagonist commits; the story turns into Act Two." },
    { "position": 4, "percent": 37, "act": 2, "name": "Rising Action", "description": "Attempts, obstacles and complications escalate." },
    { "position": 5, "percent": 50, "act": 2, "name": "Midpoint", "description": "A revelation or reversal changes what the protagonist is fighting for." },
    { "position": 6, "percent": 75, "act": 2, "name": "Plot Point Two", "description": "A crisis that forces the final confrontation; the story turns into Act Three." },
    { "position": 7, "percent": 90, "act": 3, "name": "Climax", "description": "The decisive confrontation where the central question is answered." },
    { "position": 8, "percent": 97, "act": 3, "name": "Resolution", "description": "The new normal after the conflict ends." }
  ]$json$::jsonb
),
(
  'story-circle', 'Story Circle', 'Eight steps around a circle: a character goes out, changes and comes back.',
  $json$[
    { "position": 1, "percent": 0, "act": 1, "name": "You", "description": "A character in a zone of comfort." },
    { "position": 2, "percent": 12.5, "act": 1, "name": "Need", "description": "They want something." },
    { "position": 3, "percent": 25, "act": 2, "name": "Go", "description": "They enter an unfamiliar situation." },
    { "position": 4, "percent": 37.5, "act": 2, "name": "Search", "description": "They adapt to it." },
    { "position": 5, "percent": 50, "act": 2, "name": "Find", "description": "They get what they wanted." },
    { "position": 6, "percent": 62.5, "act": 2, "name": "Take", "description": "They pay a heavy price for it." },
    { "position": 7, "percent": 75, "act": 3, "name": "Return", "description": "They go back to the familiar situation." },
    { "position": 8, "percent": 87.5, "act": 3, "name": "Change", "description": "Having changed." }
  ]$json$::jsonb
),
(
  'seven-point', 'Seven-Point Structure', 'Plan from the resolution backwards: hook, turns, pinches and midpoint.',
  $json$[
    { "position": 1, "percent": 0, "act": 1, "name": "Hook", "description": "The starting state, the opposite of the resolution." },
    { "position": 2, "percent": 15, "act": 1, "name": "Plot Turn 1", "description": "The call that sets the conflict moving and changes the world." },
    { "position": 3, "percent": 30, "act": 2, "name": "Pinch 1", "description": "Pressure applied; the antagonist shows strength and forces action." },
    { "position": 4, "percent": 50, "act": 2, "name": "Midpoint", "description": "The protagonist moves from reacting to acting." },
    { "position": 5, "percent": 70, "act": 2, "name": "Pinch 2", "description": "More pressure: the plan fails, a mentor is lost, all seems hopeless." },
    { "position": 6, "percent": 85, "act": 3, "name": "Plot Turn 2", "description": "The protagonist finds the last piece needed to win." },
    { "position": 7, "percent": 100, "act": 3, "name": "Resolution", "description": "The climax and the end state the story has been building toward." }
  ]$json$::jsonb
)
on conflict (slug) do update
  set name = excluded.name, description = excluded.description, beats = excluded.beats, is_public = true;
